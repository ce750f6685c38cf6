package report

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/finding"
)

var ourRules = []string{"crisp-token", "kustomer-api-key", "basic-auth"}

const commitA = "4f1c2b7a9d0e3f5a6b8c9d0e1f2a3b4c5d6e7f80"

func placed(rule, path, commit string, line, endLine int) finding.Finding {
	return finding.Finding{RuleID: rule, Fingerprint: "sha256:00",
		Location: finding.Location{Path: path, Commit: commit, Line: line, EndLine: endLine}}
}

func TestGitleaksIgnoreMatch(t *testing.T) {
	ignore := `# reviewed 2026-11
` + commitA + `:deploy/app.env:generic-api-key:12

config/dev.env:crisp-token:3
C:\repo\win\path.env:jwt:5
` + commitA[:7] + `:short/commit.env:curl-auth-user:8
/home/ci/src/abs/dir.env:generic-api-key:2
`
	g, err := ParseGitleaksIgnore(strings.NewReader(ignore), ourRules)
	if err != nil {
		t.Fatal(err)
	}
	if g.Len() != 5 || len(g.Warnings) != 0 {
		t.Fatalf("Len %d, warnings %q", g.Len(), g.Warnings)
	}
	other := strings.Repeat("b", 40)
	for _, c := range []struct {
		name string
		f    finding.Finding
		want bool
	}{
		{"gitleaks rule id on our line", placed("crisp-token", "deploy/app.env", commitA, 12, 12), true},
		{"line inside a pair's span", placed("crisp-token", "deploy/app.env", commitA, 11, 13), true},
		{"other commit", placed("crisp-token", "deploy/app.env", other, 12, 12), false},
		{"commit entry, dir scan", placed("crisp-token", "deploy/app.env", "", 12, 12), false},
		{"other line", placed("crisp-token", "deploy/app.env", commitA, 13, 13), false},
		{"other path", placed("crisp-token", "deploy/app2.env", commitA, 12, 12), false},
		{"path form, any commit", placed("crisp-token", "config/dev.env", other, 3, 0), true},
		{"path form, dir scan", placed("crisp-token", "config/dev.env", "", 3, 3), true},
		{"our other rule on the line", placed("basic-auth", "config/dev.env", "", 3, 3), false},
		{"short commit prefix", placed("basic-auth", "short/commit.env", strings.ToUpper(commitA), 8, 8), true},
		{"absolute path of a dir report", placed("bearer", "abs/dir.env", "", 2, 2), true},
		{"absolute path, other dir", placed("bearer", "dir.env", "", 2, 2), true},
		{"absolute path, partial name", placed("bearer", "r.env", "", 2, 2), false},
	} {
		if got := g.Match(c.f); got != c.want {
			t.Errorf("%s: Match = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestGitleaksIgnorePathWithColonAndMalformedLines(t *testing.T) {
	in := "docs/a:b.md:jwt:4\ngarbage-line\npath:rule:zero\npath:rule:0\n:rule:3\n"
	g, err := ParseGitleaksIgnore(strings.NewReader(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !g.Match(placed("any", "docs/a:b.md", "", 4, 4)) {
		t.Error("a path holding ':' does not match")
	}
	if len(g.Warnings) != 4 {
		t.Fatalf("warnings %q, want 4", g.Warnings)
	}
	for _, w := range g.Warnings {
		if strings.Contains(w, "zero") || strings.Contains(w, "garbage") || strings.Contains(w, "\n") {
			t.Errorf("warning echoes the line or spans lines: %q", w)
		}
	}
}

func randomSecret(t *testing.T) string {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func gitleaksReport(t *testing.T, items ...map[string]any) string {
	b, err := json.Marshal(items)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestReadGitleaksBaseline(t *testing.T) {
	secret := randomSecret(t)
	rep := gitleaksReport(t,
		map[string]any{"RuleID": "generic-api-key", "File": "a/b.env", "StartLine": 7, "EndLine": 7,
			"Commit": commitA, "Secret": "REDACTED", "Match": "REDACTED", "Entropy": 4.2,
			"Fingerprint": commitA + ":a/b.env:generic-api-key:7", "Tags": []string{}},
		map[string]any{"RuleID": "generic-api-key", "File": "./c.env", "StartLine": 1, "Commit": "", "Secret": secret},
	)
	if !IsGitleaksReport([]byte(rep)) || !IsGitleaksReport([]byte(" [] ")) {
		t.Fatal("IsGitleaksReport does not recognise a gitleaks report")
	}
	g, err := ReadGitleaksBaseline(strings.NewReader(rep), ourRules)
	if err != nil {
		t.Fatal(err)
	}
	if !g.Match(placed("kustomer-api-key", "a/b.env", commitA, 7, 7)) {
		t.Error("a redacted entry does not match by commit, path and line")
	}
	moved := placed("kustomer-api-key", "c.env", "", 40, 40)
	moved.Parts = []finding.Part{{Name: "key", Value: finding.NewSecret(secret)}}
	if !g.Match(moved) {
		t.Error("an unredacted secret does not match at the same path on another line")
	}
	moved.Path = "d.env"
	if g.Match(moved) {
		t.Error("an unredacted secret matches at another path")
	}
}

func TestReadGitleaksBaselineErrors(t *testing.T) {
	for in, want := range map[string]string{
		"":                                "want a gitleaks JSON report",
		"not json":                        "not valid JSON at byte",
		`{"version":1,"kind":"baseline"}`: "want a gitleaks JSON report",
		`[1]`:                             "finding 1: not an object",
		`[{"File":"a","StartLine":1}]`:    "finding 1: no RuleID",
		`[{"RuleID":"x","StartLine":1}]`:  "finding 1: no File",
		`[{"RuleID":"x","File":"a"}]`:     "finding 1: no StartLine",
		`[{"RuleID":"x","File":"a","StartLine":"3"}]`: "StartLine: want a whole number",
		`[{"RuleID":7,"File":"a","StartLine":3}]`:     "RuleID: want a string",
	} {
		_, err := ReadGitleaksBaseline(strings.NewReader(in), nil)
		if err == nil {
			t.Errorf("%q accepted", in)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, want) || strings.Contains(msg, "\n") || strings.Contains(msg, "Go ") ||
			strings.Contains(msg, "int") && !strings.Contains(msg, "whole") || strings.Contains(msg, "json:") {
			t.Errorf("%q: error %q, want one line containing %q and no Go type", in, msg, want)
		}
	}
	for _, in := range []string{`{"findings":[]}`, `[{"rule_id":"x"}]`, `nope`} {
		if IsGitleaksReport([]byte(in)) {
			t.Errorf("IsGitleaksReport(%q) = true", in)
		}
	}
}
