package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/scanner-dev/scanner/finding"
)

func TestBaselineMatchesByFingerprintAndPath(t *testing.T) {
	a := finding.Finding{Fingerprint: "sha256:aa", Location: finding.Location{Path: "a.env", Line: 3}}
	b := finding.Finding{Fingerprint: "sha256:bb", Location: finding.Location{Path: "b.env", Line: 9}}
	bl := &Baseline{Entries: []BaselineEntry{{Fingerprint: "sha256:bb"}}} // any path
	if n := bl.Add([]finding.Finding{a, b}, time.Unix(0, 0)); n != 1 {
		t.Fatalf("added %d, want 1 (b is already listed for every path)", n)
	}
	moved := a
	moved.Line, moved.Commit = 40, "abc"
	other := a
	other.Path = "elsewhere.env"
	for _, c := range []struct {
		f    finding.Finding
		want bool
	}{{a, true}, {moved, true}, {other, false}, {b, true}} {
		if got := bl.Has(c.f); got != c.want {
			t.Errorf("Has(%s at %s:%d) = %v, want %v", c.f.Fingerprint, c.f.Path, c.f.Line, got, c.want)
		}
	}
	var buf bytes.Buffer
	if err := bl.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), `"line"`) {
		t.Errorf("baseline holds line numbers:\n%s", buf.String())
	}
	back, err := ReadBaseline(&buf)
	if err != nil || len(back.Entries) != 2 || !back.Has(moved) {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
	if n := back.Prune([]finding.Finding{b}); n != 1 || back.Has(a) {
		t.Errorf("pruned %d, a still listed: %v", n, back.Has(a))
	}
}

func TestReadBaselineRejectsWhatIsNotOne(t *testing.T) {
	for _, in := range []string{"", "not json", `{"version":1,"entries":[]}`, `{"version":2,"kind":"baseline","entries":[]}`,
		`{"version":1,"kind":"baseline","entries":[{"path":"a"}]}`} {
		if _, err := ReadBaseline(strings.NewReader(in)); err == nil {
			t.Errorf("ReadBaseline(%q) accepted", in)
		}
	}
}

// A malformed baseline says what a baseline looks like, never a Go type.
func TestMalformedBaselineSaysWhatItWants(t *testing.T) {
	for _, in := range []string{`not json`, `{"version": "x", "entries": 5}`, `[1, 2]`, `{"kind": "baseline", "version": 1, "entries": {"a": 1}}`} {
		_, err := ReadBaseline(strings.NewReader(in))
		if err == nil {
			t.Errorf("%s: no error", in)
			continue
		}
		msg := err.Error()
		if strings.Contains(msg, "Go struct") || strings.Contains(msg, "baselineFile") || strings.Contains(msg, "report.") || !strings.Contains(msg, `"kind": "baseline"`) {
			t.Errorf("%s: %s", in, msg)
		}
	}
}
