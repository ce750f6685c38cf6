package purge

import (
	"context"
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/scanner-dev/scanner/detect"
	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/source"
)

// Target is one credential a report names: its fingerprint, and where the
// report saw it.
type Target struct {
	Fingerprint string
	RuleID      string
	Redacted    string
	Places      []finding.Location
}

// Targets groups findings by fingerprint, in the order each first appears.
// Findings without a fingerprint are left out.
func Targets(fs []finding.Finding) []Target {
	var out []Target
	at := map[string]int{}
	for _, f := range fs {
		if f.Fingerprint == "" {
			continue
		}
		i, ok := at[f.Fingerprint]
		if !ok {
			i = len(out)
			at[f.Fingerprint] = i
			out = append(out, Target{Fingerprint: f.Fingerprint, RuleID: f.RuleID, Redacted: f.Redacted()})
		}
		out[i].Places = append(out[i].Places, f.Location)
	}
	return out
}

// Plan is how to take the credentials of a report out of a repository's
// history. Its replacement values are the raw credentials: they leave it
// only through WriteExpressions.
type Plan struct {
	Root    string   // the repository's work tree root, or its git directory when bare
	Origin  string   // the URL of its origin remote ("" when none)
	Found   []Target // credentials found again, with every place history holds them
	Missing []Target // credentials the repository no longer holds (or never did)
	// Unexpressible are found credentials whose matched text cannot be
	// written as a literal expression (it spans lines); they need a
	// hand-written regex, and Verify will keep finding them until then.
	Unexpressible []Target
	Paths         []string // paths that hold a credential, in any commit
	Commits       []string // commits that introduced one
	Refs          []string // refs whose history holds one of those commits
	replace       map[string]replacement
}

// replacement is one literal to remove and the rule that found it.
type replacement struct {
	value finding.Secret
	rule  string
}

// NewPlan finds the report's credentials again in repo with d (the blobs the
// report names, then the whole history for those not found there), and
// places every blob that holds one. The raw values stay in the Plan.
func NewPlan(ctx context.Context, repo *source.Repo, d *detect.Detector, findings []finding.Finding) (*Plan, error) {
	p := &Plan{Root: repo.Root(ctx), Origin: repo.OriginURL(ctx), replace: map[string]replacement{}}
	if p.Root == "" {
		p.Root = repo.GitDir(ctx)
	}
	targets := Targets(findings)
	want := map[string]bool{}
	for _, t := range targets {
		want[t.Fingerprint] = true
	}
	m := newMatcher(want)
	if blobs := reportBlobs(targets); len(blobs) > 0 {
		if err := repo.ReadBlobs(ctx, blobs, m.chunk(d)); err != nil {
			return nil, fmt.Errorf("read the report's blobs: %w", err)
		}
	}
	if !m.foundAll() {
		m.only(want)
		if err := repo.History().Chunks(ctx, m.chunk(d)); err != nil {
			return nil, fmt.Errorf("scan the history for the report's credentials: %w", err)
		}
	}
	if err := p.place(ctx, repo, targets, m); err != nil {
		return nil, err
	}
	return p, nil
}

// reportBlobs lists the distinct blobs the report's findings name.
func reportBlobs(ts []Target) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range ts {
		for _, l := range t.Places {
			if l.Blob != "" && !seen[l.Blob] {
				seen[l.Blob] = true
				out = append(out, l.Blob)
			}
		}
	}
	return out
}

// place fills the plan from what the matcher found: the places history
// holds each credential, and the refs that reach them.
func (p *Plan) place(ctx context.Context, repo *source.Repo, targets []Target, m *matcher) error {
	locs, err := repo.History().Locate(ctx, m.blobList())
	if err != nil {
		return fmt.Errorf("place the credentials in the history: %w", err)
	}
	paths, commits := map[string]bool{}, map[string]bool{}
	for _, t := range targets {
		blobs := m.blobs[t.Fingerprint]
		if len(blobs) == 0 {
			p.Missing = append(p.Missing, t)
			continue
		}
		t.Places = nil
		for _, b := range blobs {
			for _, l := range locs[b] {
				t.Places = append(t.Places, l)
				paths[l.Path], commits[l.Commit] = true, true
			}
		}
		if t.Redacted == "" {
			t.Redacted = m.redacted[t.Fingerprint]
		}
		p.Found = append(p.Found, t)
		if m.unexpressible[t.Fingerprint] {
			p.Unexpressible = append(p.Unexpressible, t)
		}
	}
	for v, r := range m.values {
		p.replace[v] = r
	}
	p.Paths, p.Commits = sortedKeys(paths), sortedKeys(commits)
	refs, err := repo.RefsContaining(ctx, p.Commits)
	if err != nil {
		return fmt.Errorf("list the refs that reach the credentials: %w", err)
	}
	p.Refs = refs
	return nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		if k != "" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// matcher collects, from chunks read concurrently, the blobs that hold
// wanted fingerprints and the literal values to replace.
type matcher struct {
	mu            sync.Mutex
	want          map[string]bool
	blobs         map[string][]string // fingerprint -> blob ids
	seen          map[string]bool     // fingerprint + blob
	values        map[string]replacement
	redacted      map[string]string
	unexpressible map[string]bool
}

func newMatcher(want map[string]bool) *matcher {
	return &matcher{want: want, blobs: map[string][]string{}, seen: map[string]bool{},
		values: map[string]replacement{}, redacted: map[string]string{}, unexpressible: map[string]bool{}}
}

// only narrows the wanted fingerprints to those not found yet.
func (m *matcher) only(want map[string]bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.want = map[string]bool{}
	for fp := range want {
		if len(m.blobs[fp]) == 0 {
			m.want[fp] = true
		}
	}
}

func (m *matcher) foundAll() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for fp := range m.want {
		if len(m.blobs[fp]) == 0 {
			return false
		}
	}
	return true
}

// chunk returns the callback that detects credentials in a chunk and keeps
// the wanted ones.
func (m *matcher) chunk(d *detect.Detector) func(finding.Chunk) error {
	return func(c finding.Chunk) error {
		for _, f := range d.Detect(c) {
			if !m.wanted(f.Fingerprint) {
				continue
			}
			lo, hi := f.Start-c.Offset, f.End-c.Offset
			if lo < 0 || hi > int64(len(c.Data)) || lo > hi {
				continue
			}
			m.add(c.ID, f, string(c.Data[lo:hi]))
		}
		return nil
	}
}

func (m *matcher) wanted(fp string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.want[fp]
}

func (m *matcher) add(blob string, f finding.Finding, match string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fp := f.Fingerprint
	if !m.seen[fp+blob] {
		m.seen[fp+blob] = true
		m.blobs[fp] = append(m.blobs[fp], blob)
	}
	m.redacted[fp] = f.Redacted()
	for _, v := range literals(f, match) {
		if strings.ContainsAny(v, "\r\n") || strings.Contains(v, "==>") {
			m.unexpressible[fp] = true
			continue
		}
		m.values[v] = replacement{value: finding.NewSecret(v), rule: f.RuleID}
	}
}

// literals are the strings to remove for a finding: its secret parts (every
// part but the first, which names the key, of a credential in several parts;
// the only part otherwise) where the matched text holds them as they are,
// else the matched text itself (an encoded form, such as a base64 Basic
// header).
func literals(f finding.Finding, match string) []string {
	parts := f.Parts
	if len(parts) > 1 {
		parts = parts[1:]
	}
	var out []string
	for _, p := range parts {
		if v, ok := literalIn(match, p.Value.Reveal()); ok {
			out = append(out, v)
		} else if match != "" {
			out = append(out, match)
		}
	}
	return out
}

// literalIn returns the form of raw the matched text holds: as it is, or
// base64-encoded (a Kubernetes secret, a Basic header of one part).
func literalIn(match, raw string) (string, bool) {
	if raw == "" {
		return "", false
	}
	for _, v := range []string{raw, base64.StdEncoding.EncodeToString([]byte(raw)), base64.RawStdEncoding.EncodeToString([]byte(raw))} {
		if strings.Contains(match, v) {
			return v, true
		}
	}
	return "", false
}

func (m *matcher) blobList() []string {
	var out []string
	seen := map[string]bool{}
	for _, bs := range m.blobs {
		for _, b := range bs {
			if !seen[b] {
				seen[b] = true
				out = append(out, b)
			}
		}
	}
	sort.Strings(out)
	return out
}
