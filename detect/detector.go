package detect

import (
	"bytes"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
)

// Suppression reasons recorded in finding.Finding.Suppressed.
const (
	SuppressedInline    = finding.SuppressedInline    // a scanner:allow or gitleaks:allow comment on the line
	SuppressedAllowlist = finding.SuppressedAllowlist // a rule or global allowlist
)

// inlineMarkers allow a finding on their line.
var inlineMarkers = [][]byte{[]byte("scanner:allow"), []byte("gitleaks:allow")}

// candidate is what an engine reports: the parts and their span in the data,
// plus what the context said.
type candidate struct {
	parts      []finding.Part
	start, end int
	tier       string
	websiteIDs []string
	details    map[string]string
	severity   finding.Severity // overrides the rule's when set
}

type engine interface {
	// find reports credentials in s.data; hits are the offsets of the rule's
	// keywords (empty when the rule has none).
	find(s *scan, hits []int) []candidate
}

type compiled struct {
	rule   *rules.Rule
	engine engine
	kws    map[int32]bool // indexes into the keyword set; nil: always runs
}

// Detector finds credentials with a rule set. It is safe for concurrent use.
type Detector struct {
	rules    []compiled
	keywords *keywordSet
	global   []rules.Allowlist
	obs      *observer // website ids seen, explain trace (explain.go)
}

// New builds a detector for the rule set.
func New(set *rules.Set) *Detector {
	d := &Detector{global: set.Allowlists, obs: &observer{}}
	var all []string
	for _, r := range set.Rules {
		c := compiled{rule: r, engine: engineFor(r, d.obs)}
		if len(r.Keywords) > 0 {
			c.kws = map[int32]bool{}
			for _, k := range r.Keywords {
				c.kws[int32(len(all))] = true
				all = append(all, k)
			}
		}
		d.rules = append(d.rules, c)
	}
	d.keywords = newKeywordSet(all)
	return d
}

func engineFor(r *rules.Rule, obs *observer) engine {
	switch r.Detector {
	case "crisp":
		return crispEngine{obs: obs}
	case "kustomer":
		return kustomerEngine{}
	case "basic-auth":
		return basicEngine{}
	case "bearer":
		return bearerEngine{minEntropy: r.Entropy}
	}
	return regexEngine{re: r.Compiled(), parts: r.Parts, secretGroup: r.SecretGroup, minEntropy: r.Entropy}
}

// Detect returns the credentials in the chunk. Positions are placed with the
// chunk's Offset and Line; the chunk's first Location, if any, gives the path
// and commit. Findings that triage hides carry a Suppressed reason and are
// still returned, so that callers can count them.
func (d *Detector) Detect(c finding.Chunk) []finding.Finding {
	s := &scan{data: c.Data, where: c.ID, line0: c.Line}
	switch {
	case len(c.Locations) > 0 && c.Locations[0].Path != "":
		s.where = c.Locations[0].Path
	case c.Path != "":
		s.where = c.Path
	}
	if c.HitsKnown {
		s.hits = knownHits(c.Hits)
	} else {
		s.hits = d.keywords.find(c.Data, nil)
	}
	var cands []candidate
	var owners []*rules.Rule
	for _, r := range d.rules {
		var hits []int
		if r.kws != nil {
			if hits = s.positions(r.kws); len(hits) == 0 {
				d.obs.unanchored(s, r.engine)
				continue
			}
		}
		for _, cand := range r.engine.find(s, hits) {
			cands = append(cands, cand)
			owners = append(owners, r.rule)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	keep := yieldGeneric(cands, owners)
	var out []finding.Finding
	for i, cand := range cands {
		if keep[i] {
			out = append(out, d.finding(s, c, owners[i], cand))
		}
	}
	return out
}

// KeywordSearch lends a source the detector's keyword search: find appends
// every occurrence of a rule keyword in data to out, and reach is the longest
// keyword's length. A source that knows how content was derived from other
// content (a delta of a blob whose hits it has) can then find the content's
// hits by searching only what changed, and send them with the chunk
// (finding.Chunk.Hits): Detect does not search again.
func (d *Detector) KeywordSearch() (find func(data []byte, out []finding.KeywordHit) []finding.KeywordHit, reach int) {
	for _, w := range d.keywords.words {
		reach = max(reach, len(w))
	}
	find = func(data []byte, out []finding.KeywordHit) []finding.KeywordHit {
		for _, h := range d.keywords.find(data, nil) {
			out = append(out, finding.KeywordHit{Pos: h.pos, Len: int32(len(d.keywords.words[h.kw])), Word: h.kw})
		}
		return out
	}
	return find, reach
}

// knownHits turns the hits a source found with KeywordSearch into the
// detector's own.
func knownHits(hs []finding.KeywordHit) []hit {
	if len(hs) == 0 {
		return nil
	}
	out := make([]hit, len(hs))
	for i, h := range hs {
		out[i] = hit{kw: h.Word, pos: h.Pos}
	}
	return out
}

// yieldGeneric drops candidates of generic rules that overlap a candidate of
// a provider rule: the provider's finding says more.
func yieldGeneric(cands []candidate, owners []*rules.Rule) []bool {
	keep := make([]bool, len(cands))
	for i := range cands {
		keep[i] = true
		if !owners[i].Generic {
			continue
		}
		for j := range cands {
			if !owners[j].Generic && cands[j].start < cands[i].end && cands[i].start < cands[j].end {
				keep[i] = false
				break
			}
		}
	}
	return keep
}

func (d *Detector) finding(s *scan, c finding.Chunk, r *rules.Rule, cand candidate) finding.Finding {
	f := finding.Finding{
		RuleID: r.ID, Provider: r.Provider, Severity: r.Severity, Description: r.Description,
		Fingerprint: finding.Fingerprint(cand.parts...), Parts: cand.parts,
		Start: c.Offset + int64(cand.start), End: c.Offset + int64(cand.end),
		TierHint: cand.tier, WebsiteIDs: cand.websiteIDs, Details: cand.details,
	}
	if cand.severity != "" {
		f.Severity = cand.severity
	}
	if len(c.Locations) > 0 {
		f.Location = c.Locations[0]
	}
	first, last := s.line(cand.start), s.line(max(cand.end-1, cand.start))
	f.Line, f.EndLine = c.Line+first, c.Line+last
	f.Column = column(s, c, cand.start)
	f.EndColumn = column(s, c, max(cand.end-1, cand.start))
	ls, le := s.lineRange(first, last)
	lines := s.data[ls:le]
	switch {
	case hasInlineAllow(lines):
		f.Suppressed = SuppressedInline
	case d.allowsContent(r, rules.Content{Parts: raw(cand.parts), Match: string(s.data[cand.start:cand.end]), Line: string(lines)}):
		f.Suppressed = SuppressedAllowlist
	}
	return f
}

// column is the 1-based byte column of offset pos on its line; on the
// chunk's first line it counts from the chunk's own Column, since a window
// may start inside a very long line.
func column(s *scan, c finding.Chunk, pos int) int {
	col := pos - s.lineStart(pos) + 1
	if s.line(pos) == 0 && c.Column > 1 {
		col += c.Column - 1
	}
	return col
}

func hasInlineAllow(lines []byte) bool {
	for _, m := range inlineMarkers {
		if bytes.Contains(lines, m) {
			return true
		}
	}
	return false
}

func raw(parts []finding.Part) []string {
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = p.Value.Reveal()
	}
	return out
}

func (d *Detector) allowsContent(r *rules.Rule, c rules.Content) bool {
	for i := range r.Allowlists {
		if r.Allowlists[i].AllowsContent(c) {
			return true
		}
	}
	for i := range d.global {
		if d.global[i].AllowsContent(c) {
			return true
		}
	}
	return false
}

// Triage marks a placed finding as suppressed when an allowlist of its rule,
// or a global one, allows its path or commit. It reports whether it did.
func (d *Detector) Triage(f *finding.Finding) bool {
	if f.Suppressed != "" {
		return true
	}
	lists := d.global
	for _, c := range d.rules {
		if c.rule.ID == f.RuleID {
			lists = append(append([]rules.Allowlist(nil), c.rule.Allowlists...), lists...)
			break
		}
	}
	for i := range lists {
		if lists[i].AllowsLocation(f.Path, f.Commit) {
			f.Suppressed = SuppressedAllowlist
			return true
		}
	}
	return false
}
