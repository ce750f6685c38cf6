package finding_test

import (
	"testing"

	"github.com/scanner-dev/scanner/finding"
)

func TestStatsAdd(t *testing.T) {
	a := finding.Stats{Blobs: 1, Suppressed: map[string]int{"inline": 1}}
	b := finding.Stats{Blobs: 2, Incomplete: true, Suppressed: map[string]int{"inline": 2, "baseline": 1},
		Providers: map[string]finding.ProviderUsage{"crisp/plugin": {Requests: 3, Budget: 10}}}
	a.Add(b)
	a.Add(finding.Stats{Providers: map[string]finding.ProviderUsage{"crisp/plugin": {Requests: 1, QuotaSpent: true}}})
	if a.Blobs != 3 || !a.Incomplete || a.Suppressed["inline"] != 3 || a.Suppressed["baseline"] != 1 {
		t.Errorf("counts: %+v", a)
	}
	if u := a.Providers["crisp/plugin"]; u.Requests != 4 || u.Budget != 10 || !u.QuotaSpent {
		t.Errorf("providers: %+v", u)
	}
}

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"deploy/app.env":   "deploy/app.env",
		"a\x1b[31mb":       `"a\x1b[31mb"`,
		"line\nforged":     `"line\nforged"`,
		"rtl\u202eexe.txt": `"rtl\u202eexe.txt"`,
	} {
		if got := finding.Printable(in); got != want {
			t.Errorf("Printable(%q) = %s, want %s", in, got, want)
		}
	}
}
