package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/finding"
)

func TestReadJSONFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "r.json")
	f, err := os.Create(good)
	if err != nil {
		t.Fatal(err)
	}
	rep := &Report{Tool: Tool{Name: "scanner"}, Findings: []finding.Finding{{RuleID: "r", Location: finding.Location{Path: "a", Line: 1}}}}
	if err := Write(f, "json", rep, Options{}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	got, err := ReadJSONFile(good)
	if err != nil || len(got.Findings) != 1 {
		t.Fatalf("ReadJSONFile = %v, %v", got, err)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{"), 0o644)
	if _, err := ReadJSONFile(bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("a bad report: err = %v, want it to name the file", err)
	}
	if _, err := ReadJSONFile(filepath.Join(dir, "none.json")); !os.IsNotExist(err) {
		t.Errorf("a missing report: err = %v", err)
	}
	merged, err := MergeFiles(Tool{Name: "merger"}, good, good)
	if err != nil || len(merged.Findings) != 1 || merged.Tool.Name != "merger" {
		t.Errorf("MergeFiles of one report twice = %+v, %v; want its one finding", merged, err)
	}
	if _, err := MergeFiles(Tool{}, good, bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("MergeFiles with a bad report: err = %v, want it to name the file", err)
	}
	r, _ := os.Open(good)
	defer r.Close()
	if fs, err := ReadFindings(r); err != nil || len(fs) != 1 {
		t.Errorf("ReadFindings = %v, %v", fs, err)
	}
}
