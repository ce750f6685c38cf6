package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/finding"
)

func TestCheckFormatAndWriteTo(t *testing.T) {
	if err := CheckFormat("json"); err != nil {
		t.Error(err)
	}
	if err := CheckFormat("yaml"); err == nil || !strings.Contains(err.Error(), "want ") {
		t.Errorf("yaml: %v", err)
	}
	rep := &Report{Tool: Tool{Name: "scanner"}}
	var stdout bytes.Buffer
	if err := WriteTo("-", &stdout, "json", rep, Options{}); err != nil || stdout.Len() == 0 {
		t.Errorf("to stdout: %v, %d bytes", err, stdout.Len())
	}
	path := filepath.Join(t.TempDir(), "r.json")
	stdout.Reset()
	if err := WriteTo(path, &stdout, "json", rep, Options{}); err != nil || stdout.Len() != 0 {
		t.Fatalf("to a file: %v, stdout %q", err, stdout.String())
	}
	if b, _ := os.ReadFile(path); !bytes.Contains(b, []byte(`"scanner"`)) {
		t.Errorf("file holds %q", b)
	}
	if err := WriteTo(filepath.Join(path, "x"), &stdout, "json", rep, Options{}); err == nil || !strings.HasPrefix(err.Error(), "report path: ") {
		t.Errorf("an unwritable path: %v", err)
	}
}

func TestDisplayPaths(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "deploy"), 0o755)
	os.WriteFile(filepath.Join(dir, "deploy", "app.env"), nil, 0o644)
	t.Chdir(dir)
	fs := []finding.Finding{{Location: finding.Location{Path: "app.env"}}}
	DisplayPaths("deploy", fs)
	if fs[0].Path != "deploy/app.env" {
		t.Errorf("relative root: %q", fs[0].Path)
	}
	fs[0].Path = "app.env"
	DisplayPaths(filepath.Join(dir, "deploy"), fs)
	if fs[0].Path != "deploy/app.env" {
		t.Errorf("absolute root inside the working directory: %q", fs[0].Path)
	}
	fs[0].Path = "whatever"
	DisplayPaths("deploy/app.env", fs)
	if fs[0].Path != "deploy/app.env" {
		t.Errorf("one file: %q", fs[0].Path)
	}
}
