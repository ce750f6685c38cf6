package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/scanner-dev/scanner/finding"
)

// BaselineVersion is the version of the baseline file format.
const BaselineVersion = 1

// Baseline lists known findings to suppress, keyed by fingerprint and path,
// never by line: edits that move a line, and merges of two branches that both
// touched the file, leave it valid and conflict-free.
type Baseline struct {
	Entries []BaselineEntry
	index   map[string][]string // fingerprint -> paths, built by Has
}

// BaselineEntry is one known credential at one path. An empty Path matches
// the credential at any path.
type BaselineEntry struct {
	Fingerprint string    `json:"fingerprint"`
	Path        string    `json:"path,omitempty"`
	RuleID      string    `json:"rule_id,omitempty"`
	Redacted    string    `json:"redacted,omitempty"`
	Commit      string    `json:"commit,omitempty"`
	Added       time.Time `json:"added"`
	Note        string    `json:"note,omitempty"`
}

type baselineFile struct {
	Version int             `json:"version"`
	Kind    string          `json:"kind"`
	Entries []BaselineEntry `json:"entries"`
}

// ReadBaseline reads a baseline file, or a JSON report (every finding in it
// becomes an entry), so that last week's report can serve as a baseline.
func ReadBaseline(r io.Reader) (*Baseline, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	var probe struct {
		Kind     string          `json:"kind"`
		Findings json.RawMessage `json:"findings"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, errBaselineShape(err)
	}
	if probe.Kind != "baseline" && probe.Findings != nil {
		rep, err := ReadJSON(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("read baseline: %w", err)
		}
		b := &Baseline{}
		b.Add(rep.Findings, time.Time{})
		return b, nil
	}
	var f baselineFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, errBaselineShape(err)
	}
	if f.Version != BaselineVersion || f.Kind != "baseline" {
		return nil, fmt.Errorf("read baseline: not a baseline (kind %q, version %d) nor a JSON report", f.Kind, f.Version)
	}
	for i, e := range f.Entries {
		if e.Fingerprint == "" {
			return nil, fmt.Errorf("read baseline: entry %d has no fingerprint", i+1)
		}
	}
	return &Baseline{Entries: f.Entries}, nil
}

// errBaselineShape says what a baseline should look like, in the user's
// terms: where the JSON went wrong, never a Go type.
func errBaselineShape(err error) error {
	const want = `want a baseline ({"version": 1, "kind": "baseline", "entries": [{"fingerprint": "sha256:…", "path": "…"}]}), a JSON report of this scanner, or a gitleaks JSON report`
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("read baseline: not JSON (at byte %d): %s", syn.Offset, want)
	case errors.As(err, &typ) && typ.Field != "":
		return fmt.Errorf("read baseline: %q holds a JSON %s: %s", typ.Field, typ.Value, want)
	case errors.As(err, &typ):
		return fmt.Errorf("read baseline: the file holds a JSON %s: %s", typ.Value, want)
	}
	return fmt.Errorf("read baseline: %s", want)
}

// Write writes the baseline, entries sorted by path then fingerprint so
// that its diffs stay small.
func (b *Baseline) Write(w io.Writer) error {
	sort.SliceStable(b.Entries, func(i, j int) bool {
		x, y := b.Entries[i], b.Entries[j]
		if x.Path != y.Path {
			return x.Path < y.Path
		}
		return x.Fingerprint < y.Fingerprint
	})
	entries := b.Entries
	if entries == nil {
		entries = []BaselineEntry{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(baselineFile{Version: BaselineVersion, Kind: "baseline", Entries: entries})
}

// Has reports whether the baseline lists the finding's credential at its
// path (or at any path).
func (b *Baseline) Has(f finding.Finding) bool {
	if b.index == nil {
		b.index = map[string][]string{}
		for _, e := range b.Entries {
			b.index[e.Fingerprint] = append(b.index[e.Fingerprint], e.Path)
		}
	}
	for _, p := range b.index[f.Fingerprint] {
		if p == "" || p == f.Path {
			return true
		}
	}
	return false
}

// Add adds an entry for each finding the baseline does not list yet, stamped
// with now, and returns how many it added. Existing entries, and their
// notes, are kept.
func (b *Baseline) Add(fs []finding.Finding, now time.Time) int {
	n := 0
	for _, f := range fs {
		if b.Has(f) {
			continue
		}
		b.Entries = append(b.Entries, BaselineEntry{
			Fingerprint: f.Fingerprint, Path: f.Path, RuleID: f.RuleID, Redacted: f.Redacted(),
			Commit: f.Commit, Added: now,
		})
		b.index[f.Fingerprint] = append(b.index[f.Fingerprint], f.Path)
		n++
	}
	return n
}

// Prune drops the entries no finding of fs matches and returns how many.
func (b *Baseline) Prune(fs []finding.Finding) int {
	keep := b.Entries[:0]
	for _, e := range b.Entries {
		for _, f := range fs {
			if e.Fingerprint == f.Fingerprint && (e.Path == "" || e.Path == f.Path) {
				keep = append(keep, e)
				break
			}
		}
	}
	n := len(b.Entries) - len(keep)
	b.Entries, b.index = keep, nil
	return n
}
