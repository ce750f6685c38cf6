package detect

import (
	"bytes"
	"sort"
	"strings"

	"github.com/scanner-dev/scanner/finding"
)

// How near the Crisp keyword that anchors a pair must be, in lines and bytes:
// within a screenful; an "id:key" or base64-encoded pair is self-describing,
// so its anchor may be further away. How near the identifier and key must be
// is the pairing model's business (pairing.go).
const (
	anchorLines, anchorBytes         = 40, 4000
	directAnchorLines, directAnchorB = 200, 20000
)

// crispEngine finds Crisp REST API tokens: an identifier (UUID) and a key (64
// hex), written as a loose pair near each other, as "id:key", or base64 of
// either, always with a Crisp keyword nearby.
type crispEngine struct{ obs *observer }

type crispPairCand struct {
	id, key    crispValue
	start, end int
	direct     bool // written as one "id:key" value
	weighed    bool // made by the pairing model (and already explained)
}

func (e crispEngine) find(s *scan, anchors []int) []candidate {
	if len(anchors) == 0 {
		return nil
	}
	vals, runs := crispValuesAndRuns(s.data)
	near := func(pos int) bool { return byteNear(anchors, pos, anchorBytes+structureBytes) }
	out := e.pairs(s, vals, near, func(p crispPairCand) bool {
		if p.direct {
			return anchoredNear(s, anchors, p.start, p.end, directAnchorLines, directAnchorB)
		}
		return anchoredInScope(s, anchors, p.start, p.end)
	})
	return append(out, e.nested(s, anchors, runs)...)
}

// byteNear reports whether one of the sorted offsets lies within reach
// bytes of pos.
func byteNear(offsets []int, pos, reach int) bool {
	i := sort.SearchInts(offsets, pos-reach)
	return i < len(offsets) && offsets[i] <= pos+reach
}

// pairs returns the token pairs made of vals, the values in the scan, that
// anchored accepts. Only the values near says may be in an anchored pair
// are read for their structure and names (nil: all), so that a file full of
// UUIDs with one Crisp keyword costs little.
func (e crispEngine) pairs(s *scan, vals []crispValue, near func(int) bool, anchored func(crispPairCand) bool) []candidate {
	if len(vals) == 0 {
		return nil
	}
	tr := e.obs.tracer(s)
	labels := &labelMemo{data: s.data, m: map[int]string{}}
	sides := make([]crispSide, len(vals))
	for i, v := range vals {
		sides[i] = crispSide{v: v}
		if near != nil && !near(v.start) {
			sides[i].far = true
			continue
		}
		sides[i].place = place(s, v.start, v.end)
		sides[i].role, sides[i].why = crispRole(s, v, sides[i].place)
	}
	e.obs.collectSites(s, sides, anchored)
	pairs, used := directPairs(s.data, vals)
	pairs = append(pairs, loosePairs(s, sides, labels, used, tr)...)
	var out []candidate
	for _, p := range pairs {
		switch {
		case !anchored(p):
			tr.reject(p, "no Crisp keyword near that speaks of it (one that names another object does not)")
			continue
		case placeholderUUID(p.id.text) || placeholderKey(p.key.text):
			tr.reject(p, "placeholder value")
			continue
		}
		tr.accept(p)
		idLabel, keyLabel := labels.at(p.id.start), labels.at(p.key.start)
		out = append(out, candidate{
			parts: []finding.Part{
				{Name: "identifier", Value: finding.NewSecret(p.id.text)},
				{Name: "key", Value: finding.NewSecret(p.key.text)},
			},
			start: p.start, end: p.end,
			tier:       crispTier(s, p.start, p.end, idLabel, keyLabel),
			websiteIDs: crispWebsiteIDs(sides, p.start, p.id.text),
		})
	}
	tr.flush()
	return out
}

// directPairs returns the pairs written as one value: "uuid:hex" in the text
// (curl --user, URL userinfo, string literals) and base64 of it. used marks the
// values they consume.
func directPairs(data []byte, vals []crispValue) ([]crispPairCand, map[int]bool) {
	used := map[int]bool{}
	var out []crispPairCand
	for i, v := range vals {
		switch {
		case v.kind == crispPair:
			kv := v
			kv.text = v.key
			out = append(out, crispPairCand{id: v, key: kv, start: v.start, end: v.end, direct: true})
			used[i] = true
		case v.kind == crispUUID && !v.encoded:
			j := keyAfterColon(data, vals, v.end)
			if j >= 0 {
				out = append(out, crispPairCand{id: v, key: vals[j], start: v.start, end: vals[j].end, direct: true})
				used[i], used[j] = true, true
			}
		}
	}
	return out, used
}

// keyAfterColon returns the index of the plain hex value that follows ":" (or
// its URL encoding "%3A") at offset at, or -1.
func keyAfterColon(data []byte, vals []crispValue, at int) int {
	var next int
	switch {
	case at < len(data) && data[at] == ':':
		next = at + 1
	case at+3 <= len(data) && data[at] == '%' && data[at+1] == '3' && (data[at+2] == 'A' || data[at+2] == 'a'):
		next = at + 3
	default:
		return -1
	}
	for j, w := range vals {
		if w.kind == crispHex && !w.encoded && w.start == next {
			return j
		}
	}
	return -1
}

// loosePairs takes the best of the pairings weighAll makes, each value
// once.
func loosePairs(s *scan, sides []crispSide, labels *labelMemo, used map[int]bool, tr *tracer) []crispPairCand {
	ps := weighAll(s, sides, labels, used, tr)
	won := choose(ps)
	tr.weighed(sides, ps)
	var out []crispPairCand
	for _, i := range won {
		id, key := sides[ps[i].id].v, sides[ps[i].key].v
		used[ps[i].id], used[ps[i].key] = true, true
		out = append(out, crispPairCand{id: id, key: key, start: min(id.start, key.start), end: max(id.end, key.end), weighed: true})
	}
	return out
}

// weighAll weighs every key against every identifier close enough to share
// a structure (see pairing.go). Values whose names exclude them (website
// ids, session ids, digests) never take part; the trace says why.
func weighAll(s *scan, sides []crispSide, labels *labelMemo, used map[int]bool, tr *tracer) []pairing {
	var ps []pairing
	for u := range sides {
		switch sd := &sides[u]; {
		case used[u] || sd.v.kind == crispPair:
		case sd.far:
			tr.excludedWhy(sd, "not read: too far from a Crisp keyword")
		case sd.role.excluded():
			tr.excluded(sd)
		}
	}
	for k := range sides {
		kv := &sides[k]
		if used[k] || kv.far || kv.v.kind != crispHex || kv.role.excluded() {
			continue
		}
		if checksumLine(s, kv.v) {
			tr.excludedWhy(kv, "the digest column of a checksum list")
			kv.checksum = true
			continue
		}
		for u := range sides {
			uv := &sides[u]
			if used[u] || uv.far || uv.v.kind != crispUUID || uv.role.excluded() ||
				abs(uv.place.line-kv.place.line) > structureLines || abs(uv.v.start-kv.v.start) > structureBytes {
				continue
			}
			p := weigh(s, uv, kv, labels)
			p.id, p.key = u, k
			ps = append(ps, p)
		}
	}
	if tr != nil {
		tr.alone(sides, ps, used)
	}
	return ps
}

// anchoredNear reports whether one of the anchor keyword offsets lies within
// the given lines and bytes of [start,end).
func anchoredNear(s *scan, anchors []int, start, end, lines, bytes int) bool {
	ws, we := s.window(start, end, lines, bytes)
	i := sort.SearchInts(anchors, ws)
	return i < len(anchors) && anchors[i] < we
}

// labelMemo reads the label before each value once: pairing asks for it
// for every identifier and key it weighs against each other.
type labelMemo struct {
	data []byte
	m    map[int]string
}

func (l *labelMemo) at(pos int) string {
	if v, ok := l.m[pos]; ok {
		return v
	}
	v, _ := labelBefore(l.data, pos)
	l.m[pos] = v
	return v
}

// qualifier is what is left of a label once the role words are removed:
// "CRISP_PROD_KEY" gives "prod", "crispKey2" gives "2".
func qualifier(label string) string {
	var q []string
	for _, w := range words(label) {
		if !vocab().role[w] && !vocab().ident[w] && !vocab().key[w] {
			q = append(q, w)
		}
	}
	return strings.Join(q, " ")
}

// recordBoundary reports whether text between two values closes one record
// and opens the next: "}" then "{", or a line that starts a YAML list item.
func recordBoundary(between []byte) bool {
	if i := bytes.IndexByte(between, '}'); i >= 0 && bytes.IndexByte(between[i:], '{') >= 0 {
		return true
	}
	for _, line := range bytes.Split(between, []byte{'\n'})[1:] {
		if t := bytes.TrimLeft(line, " \t"); bytes.HasPrefix(t, []byte("- ")) {
			return true
		}
	}
	return false
}
