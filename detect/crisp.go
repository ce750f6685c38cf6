package detect

import (
	"bytes"
	"sort"
	"strings"

	"github.com/scanner-dev/scanner/finding"
)

// How near things must be, in lines and bytes. A loose identifier and key pair
// sits within a few lines (consecutive env lines, one call, one JSON object);
// the Crisp keyword that anchors it within a screenful; an "id:key" or
// base64-encoded pair is self-describing, so its anchor may be further away.
const (
	pairLines, pairBytes             = 8, 2000
	anchorLines, anchorBytes         = 40, 4000
	directAnchorLines, directAnchorB = 200, 20000
)

// crispEngine finds Crisp REST API tokens: an identifier (UUID) and a key (64
// hex), written as a loose pair near each other, as "id:key", or base64 of
// either, always with a Crisp keyword nearby.
type crispEngine struct{}

type crispPairCand struct {
	id, key    crispValue
	start, end int
	direct     bool // written as one "id:key" value
}

func (e crispEngine) find(s *scan, anchors []int) []candidate {
	if len(anchors) == 0 {
		return nil
	}
	vals, runs := crispValuesAndRuns(s.data)
	out := e.pairs(s, vals, func(p crispPairCand) bool {
		lines, bytes := anchorLines, anchorBytes
		if p.direct {
			lines, bytes = directAnchorLines, directAnchorB
		}
		return anchoredNear(s, anchors, p.start, p.end, lines, bytes)
	})
	return append(out, e.nested(s, anchors, runs)...)
}

// pairs returns the token pairs made of vals, the values in the scan, that
// anchored accepts.
func (crispEngine) pairs(s *scan, vals []crispValue, anchored func(crispPairCand) bool) []candidate {
	if len(vals) == 0 {
		return nil
	}
	roles := make([]role, len(vals))
	for i, v := range vals {
		roles[i] = crispRole(s.data, v)
	}
	labels := &labelMemo{data: s.data, m: map[int]string{}}
	pairs, used := directPairs(s.data, vals)
	pairs = append(pairs, loosePairs(s, vals, roles, labels, used)...)
	var out []candidate
	for _, p := range pairs {
		if !anchored(p) || placeholderUUID(p.id.text) || placeholderKey(p.key.text) {
			continue
		}
		idLabel, keyLabel := labels.at(p.id.start), labels.at(p.key.start)
		out = append(out, candidate{
			parts: []finding.Part{
				{Name: "identifier", Value: finding.NewSecret(p.id.text)},
				{Name: "key", Value: finding.NewSecret(p.key.text)},
			},
			start: p.start, end: p.end,
			tier:       crispTier(s, p.start, p.end, idLabel, keyLabel),
			websiteIDs: crispWebsiteIDs(vals, roles, p.start, p.id.text),
		})
	}
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

// loosePairs pairs each remaining key with the best identifier near it: on the
// same line first, then the nearest line, before rather than after, and named
// like an identifier rather than not. Website ids, session ids and values named
// like digests never take part. Each value is used once.
func loosePairs(s *scan, vals []crispValue, roles []role, labels *labelMemo, used map[int]bool) []crispPairCand {
	type scored struct {
		k, u  int
		score int
	}
	var cands []scored
	for k, kv := range vals {
		if used[k] || kv.kind != crispHex || roles[k] == roleNotKey || checksumLine(s, kv) {
			continue
		}
		kl := s.line(kv.start)
		for u, uv := range vals {
			if used[u] || uv.kind != crispUUID || roles[u].excluded() {
				continue
			}
			dl := s.line(uv.start) - kl
			db := abs(uv.start - kv.start)
			if abs(dl) > pairLines || db > pairBytes {
				continue
			}
			score := 1000 - 50*abs(dl) - db/20
			if dl > 0 || dl == 0 && uv.start > kv.start {
				score -= 30 // identifiers usually come first
			}
			if roles[u] == roleIdentifier {
				score += 200
			}
			if roles[k] == roleKey {
				score += 100
			}
			score += pairAffinity(s.data, labels, uv, kv)
			cands = append(cands, scored{k, u, score})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	var out []crispPairCand
	for _, c := range cands {
		if used[c.k] || used[c.u] {
			continue
		}
		used[c.k], used[c.u] = true, true
		id, key := vals[c.u], vals[c.k]
		out = append(out, crispPairCand{id: id, key: key, start: min(id.start, key.start), end: max(id.end, key.end)})
	}
	return out
}

// anchoredNear reports whether one of the anchor keyword offsets lies within
// the given lines and bytes of [start,end).
func anchoredNear(s *scan, anchors []int, start, end, lines, bytes int) bool {
	ws, we := s.window(start, end, lines, bytes)
	i := sort.SearchInts(anchors, ws)
	return i < len(anchors) && anchors[i] < we
}

// pairAffinity scores how much an identifier and a key look like one
// token's: names that agree once the role words are taken away
// (CRISP_PROD_IDENTIFIER with CRISP_PROD_KEY, CRISP_ID_2 with CRISP_KEY_2)
// pull them together; a record boundary between them (a new YAML list item,
// "},{" in JSON) pushes them apart.
func pairAffinity(data []byte, labels *labelMemo, id, key crispValue) int {
	score := 0
	il, kl := labels.at(id.start), labels.at(key.start)
	if qi, qk := qualifier(il), qualifier(kl); il != "" && kl != "" {
		switch {
		case qi == qk:
			score += 150
		case qi != "" && qk != "":
			score -= 150
		}
	}
	if recordBoundary(data[min(id.end, key.end):max(id.start, key.start)]) {
		score -= 300
	}
	return score
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

// roleWords are the words that name a token's part rather than which token.
var roleWords = map[string]bool{"identifier": true, "id": true, "key": true, "token": true, "secret": true,
	"ident": true, "tokenid": true, "tokenkey": true, "api": true, "plugin": true, "website": true, "crisp": true}

// qualifier is what is left of a label once the role words are removed:
// "CRISP_PROD_KEY" gives "prod", "crispKey2" gives "2".
func qualifier(label string) string {
	var q []string
	for _, w := range words(label) {
		if !roleWords[w] {
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
