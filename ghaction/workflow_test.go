package ghaction

import (
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/report"
)

func TestControlBytesNeverReachTheRunner(t *testing.T) {
	name := "app/\x1b[31mred\x1b[0m\x07.env"
	f := finding.Finding{RuleID: "r", Description: "d\x1b]0;title\x07", Location: finding.Location{Path: name, Line: 1}}
	out := Annotation(f) + Markdown(&report.Report{Findings: []finding.Finding{f}}, "x\x9b") + EscapeData("\x7f")
	for _, c := range []string{"\x1b", "\x07", "\x9b", "\x7f"} {
		if strings.Contains(out, c) {
			t.Errorf("output holds raw control %q: %q", c, out)
		}
	}
	if !strings.Contains(out, `x1b`) {
		t.Errorf("ESC not shown as an escape: %q", out)
	}
}
