package report

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/scanner-dev/scanner/finding"
)

func TestUpdateBaselineFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "baseline.json")
	now := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	a := finding.Finding{RuleID: "r", Fingerprint: "fp-a", Location: finding.Location{Path: "a", Line: 1}}
	b := finding.Finding{RuleID: "r", Fingerprint: "fp-b", Location: finding.Location{Path: "b", Line: 1}}
	if _, added, _, err := UpdateBaselineFile(path, []finding.Finding{a}, BaselineUpdate{Keep: true, Note: "first", Now: now}); err != nil || added != 1 {
		t.Fatalf("create: added %d, %v", added, err)
	}
	got, added, pruned, err := UpdateBaselineFile(path, []finding.Finding{b}, BaselineUpdate{Keep: true, Prune: true, Note: "second", Now: now})
	if err != nil || added != 1 || pruned != 1 {
		t.Fatalf("update: added %d pruned %d, %v", added, pruned, err)
	}
	read, err := ReadBaselineFile(path)
	if err != nil || len(read.Entries) != 1 || read.Entries[0].Note != "second" || !read.Has(b) || read.Has(a) {
		t.Errorf("file holds %+v (%v); returned %+v", read, err, got)
	}
	if empty, err := ReadBaselineFile(filepath.Join(t.TempDir(), "none.json")); err != nil || len(empty.Entries) != 0 {
		t.Errorf("a missing file: %+v, %v", empty, err)
	}
}
