package detect

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/scanner-dev/scanner/finding"
)

// observer is what a Detector learns while it scans, shared by every
// Detect call: the Crisp website ids it sees, and, when explaining, the
// writer the pairing trace goes to. Its methods are safe for concurrent use.
type observer struct {
	on      atomic.Bool // explain is set: read without the lock on every chunk
	mu      sync.Mutex
	explain io.Writer
	sites   map[string]bool
}

// SetExplain makes every later Detect call write, for each Crisp identifier
// and key pair it weighs, one redacted line to w: where, the structure both
// values share, the name and role of each, every score term by name, the
// total and the decision. Values are always redacted. Writes from
// concurrent Detect calls are serialized; a nil w turns the trace off.
func (d *Detector) SetExplain(w io.Writer) {
	d.obs.mu.Lock()
	d.obs.explain = w
	d.obs.on.Store(w != nil)
	d.obs.mu.Unlock()
}

// WebsiteIDs returns the Crisp website ids (public workspace ids, not
// secrets) seen so far by Detect anywhere in the scanned content near a
// Crisp keyword: the chatbox snippet's CRISP_WEBSITE_ID, website_id
// settings, Crisp.configure calls, /website/<id>/ URLs. Sorted, without
// duplicates. Safe to call while Detect runs.
func (d *Detector) WebsiteIDs() []string {
	d.obs.mu.Lock()
	defer d.obs.mu.Unlock()
	out := make([]string, 0, len(d.obs.sites))
	for id := range d.obs.sites {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// collectSites records the website ids among the values that a Crisp
// keyword anchors.
func (o *observer) collectSites(s *scan, sides []crispSide, anchored func(crispPairCand) bool) {
	if o == nil {
		return
	}
	var ids []string
	for i := range sides {
		sd := &sides[i]
		if sd.far || sd.v.kind != crispUUID || !websiteNamed(sd) || placeholderUUID(sd.v.text) {
			continue
		}
		if anchored(crispPairCand{id: sd.v, key: sd.v, start: sd.v.start, end: sd.v.end}) {
			ids = append(ids, sd.v.text)
		}
	}
	if len(ids) == 0 {
		return
	}
	o.mu.Lock()
	if o.sites == nil {
		o.sites = map[string]bool{}
	}
	for _, id := range ids {
		o.sites[id] = true
	}
	o.mu.Unlock()
}

// websiteNamed reports whether a UUID is named a website id: the website
// role, or the chatbox's window.CRISP_WEBSITE_ID.
func websiteNamed(sd *crispSide) bool {
	return sd.role == roleWebsite || sd.role == roleChatbox && strings.Contains(strings.ToLower(sd.why), "website")
}

// tracer gathers one Detect call's explain lines and writes them at once.
// A nil tracer (explain off) does nothing.
type tracer struct {
	o     *observer
	s     *scan
	lines []string
}

func (o *observer) tracer(s *scan) *tracer {
	if o == nil || !o.on.Load() {
		return nil
	}
	return &tracer{o: o, s: s}
}

// unanchored explains a chunk in which an engine did not run because none
// of its rule's keywords is there, when it holds what could have paired: one
// line with how many values it holds (a line per value would flood the trace
// of a large tree).
func (o *observer) unanchored(s *scan, e engine) {
	if _, ok := e.(crispEngine); !ok {
		return
	}
	t := o.tracer(s)
	if t == nil {
		return
	}
	var n [3]int
	first := -1
	for _, v := range crispValues(s.data) {
		n[v.kind]++
		if first < 0 {
			first = v.start
		}
	}
	if n[crispUUID] > 0 && n[crispHex] > 0 || n[crispPair] > 0 {
		t.printf(first, "%d uuid, %d hex64, %d id:key values not read: no Crisp keyword anywhere in this content",
			n[crispUUID], n[crispHex], n[crispPair])
	}
	t.flush()
}

func (t *tracer) printf(pos int, format string, args ...any) {
	where := t.s.where
	if where == "" {
		where = "-"
	}
	line := fmt.Sprintf("explain crisp %s:%d: ", where, t.s.line0+t.s.line(pos)) + fmt.Sprintf(format, args...)
	t.lines = append(t.lines, finding.Printable(line))
}

func (t *tracer) flush() {
	if t == nil || len(t.lines) == 0 {
		return
	}
	t.o.mu.Lock()
	defer t.o.mu.Unlock()
	if t.o.explain != nil {
		io.WriteString(t.o.explain, strings.Join(t.lines, "\n")+"\n")
	}
	t.lines = nil
}

// excluded says why a value takes part in no pair.
func (t *tracer) excluded(sd *crispSide) {
	t.excludedWhy(sd, roleNames[sd.role]+" ("+sd.why+")")
}

func (t *tracer) excludedWhy(sd *crispSide, why string) {
	if t == nil {
		return
	}
	t.printf(sd.v.start, "value %s %s: not a candidate: %s", kindName(sd.v), finding.Redact(sd.v.text), why)
}

// alone says which candidate values were weighed against nothing: no value
// of the other kind close enough.
func (t *tracer) alone(sides []crispSide, ps []pairing, used map[int]bool) {
	in := map[int]bool{}
	for _, p := range ps {
		in[p.id], in[p.key] = true, true
	}
	for i := range sides {
		sd := &sides[i]
		if !in[i] && !used[i] && !sd.far && !sd.checksum && sd.v.kind != crispPair && !sd.role.excluded() {
			t.excludedWhy(sd, "no partner of the other kind within reach")
		}
	}
}

// weighed prints every pairing the model weighed, with its terms.
func (t *tracer) weighed(sides []crispSide, ps []pairing) {
	if t == nil {
		return
	}
	for _, p := range ps {
		id, key := &sides[p.id], &sides[p.key]
		var b strings.Builder
		for _, tm := range p.terms {
			fmt.Fprintf(&b, " %s=%+d", tm.name, tm.value)
		}
		decision := "paired"
		if p.rejected != "" {
			decision = "rejected: " + p.rejected
		}
		t.printf(min(id.v.start, key.v.start), "pair identifier %s [%s] + key %s [%s] in %s:%s total=%d -> %s",
			finding.Redact(id.v.text), describe(id), finding.Redact(key.v.text), describe(key),
			describeStruct(p.shared), b.String(), p.score, decision)
	}
}

// accept and reject report the final decision on a pair after the anchor
// and placeholder checks; pairs the model made are already printed.
func (t *tracer) accept(p crispPairCand) {
	if t != nil && !p.weighed {
		t.printf(p.start, "pair identifier %s + key %s written as one id:key value -> reported", finding.Redact(p.id.text), finding.Redact(p.key.text))
	}
	if t != nil && p.weighed {
		t.printf(p.start, "pair identifier %s + key %s -> reported", finding.Redact(p.id.text), finding.Redact(p.key.text))
	}
}

func (t *tracer) reject(p crispPairCand, why string) {
	if t != nil {
		t.printf(p.start, "pair identifier %s + key %s -> not reported: %s", finding.Redact(p.id.text), finding.Redact(p.key.text), why)
	}
}

var roleNames = map[role]string{roleUnknown: "unnamed", roleIdentifier: "identifier", roleKey: "key",
	roleWebsite: "website id", roleSession: "session id", roleChatbox: "chatbox value",
	roleEntity: "record id", roleNotKey: "digest or signature"}

func kindName(v crispValue) string {
	s := "uuid"
	if v.kind == crispHex {
		s = "hex64"
	}
	if v.encoded {
		s += " (base64)"
	}
	return s
}

func describe(sd *crispSide) string {
	s := kindName(sd.v) + ", " + roleNames[sd.role]
	if sd.why != "" {
		s += " by " + sd.why
	}
	return s
}

func describeStruct(st structure) string {
	if st.name != "" {
		return st.kind.String() + " " + quoteName(st.name)
	}
	return st.kind.String()
}
