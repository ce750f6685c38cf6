package rules_test

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/detect"
	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
)

// A configuration in the shape gitleaks users write: extend the defaults,
// one custom rule, an allowlist whose paths are regular expressions.
const typicalGitleaks = `
title = "acme gitleaks config"
minVersion = "v8.20.0"

[extend]
useDefault = true
disabledRules = ["generic-api-key"]

[[rules]]
id = "acme-internal-token"
description = "ACME internal service token"
regex = '''(?i)acme[_-]?token\s*[:=]\s*["']?(acm_[a-z0-9]{32})'''
secretGroup = 1
entropy = 3.0
keywords = ["ACME"]
tags = ["internal", "token"]

[allowlist]
description = "vendored code, lock files, fixtures"
paths = [
  '''(^|/)vendor/''',
  '''(.*?)(png|jpg|gif)$''',
  '''^docs/examples/''',
]
regexes = ['''^acm_test''']
stopwords = ["EXAMPLE"]
commits = ["ABCDEF0123456789ABCDEF0123456789ABCDEF01"]
`

func load(t *testing.T, name, conf string, files map[string]string) *rules.Gitleaks {
	t.Helper()
	g, err := rules.LoadGitleaks(name, []byte(conf), rules.GitleaksOptions{ReadFile: func(p string) ([]byte, error) {
		if s, ok := files[p]; ok {
			return []byte(s), nil
		}
		return nil, fmt.Errorf("open %s: %w", p, os.ErrNotExist)
	}})
	if err != nil {
		t.Fatalf("LoadGitleaks: %v", err)
	}
	return g
}

func randLower(t *testing.T, n int) string {
	b := make([]byte, n/2)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// detectAt runs the detector over content and places what it finds at path
// and commit, then triages it as the pipeline does.
func detectAt(t *testing.T, g *rules.Gitleaks, content, path, commit string) []finding.Finding {
	t.Helper()
	d := detect.New(g.Set)
	var out []finding.Finding
	for _, f := range d.Detect(finding.Chunk{ID: path, Data: []byte(content), Line: 1}) {
		f = f.At(finding.Location{Path: path, Commit: commit})
		if !d.Triage(&f) {
			g.Triage(&f)
		}
		out = append(out, f)
	}
	return out
}

func TestGitleaksTypicalConfig(t *testing.T) {
	g := load(t, ".gitleaks.toml", typicalGitleaks, nil)
	if g.Set.Rule("acme-internal-token") == nil || g.Set.Rule("crisp-token") == nil {
		t.Fatalf("rules: want the custom rule and ours, got %d rules", len(g.Set.Rules))
	}
	if ids := strings.Join(g.Set.RuleIDs(), ","); !strings.Contains(ids, "crisp-token") || !strings.HasSuffix(ids, ",acme-internal-token") {
		t.Errorf("RuleIDs %s: want ours, then the file's", ids)
	}
	if len(g.Warnings) != 1 || !strings.Contains(g.Warnings[0], "disabledRules: no rule generic-api-key") {
		t.Errorf("warnings %q, want one naming generic-api-key", g.Warnings)
	}
	token := "acm_" + randLower(t, 32)
	content := "acme_token = \"" + token + "\"\n"
	commit := strings.Repeat("1", 40)
	for _, c := range []struct {
		path, commit, content string
		suppressed            bool
	}{
		{"cmd/main.go", commit, content, false},
		{"vendor/acme/client.go", commit, content, true},   // (^|/)vendor/ is a regex, not a glob
		{"third/vendor/client.go", commit, content, true},  // ... matching at any depth
		{"vendored/client.go", commit, content, false},     // ... and not a prefix of a name
		{"img/logo.png", commit, content, true},            // extension regex
		{"docs/examples/a.md", commit, content, true},      // anchored regex
		{"src/docs/examples/a.md", commit, content, false}, // ... anchored
		{"cmd/main.go", strings.ToLower("ABCDEF0123456789ABCDEF0123456789ABCDEF01"), content, true},
		{"cmd/main.go", commit, "acme_token = acm_test" + randLower(t, 28) + "\n", true},
		{"cmd/main.go", commit, "acme_token = acm_example" + randLower(t, 26)[:25] + "\n", true}, // stopword
	} {
		fs := detectAt(t, g, c.content, c.path, c.commit)
		if len(fs) != 1 || fs[0].RuleID != "acme-internal-token" {
			t.Errorf("%s: findings %v, want one of acme-internal-token", c.path, fs)
			continue
		}
		if got := fs[0].Suppressed != ""; got != c.suppressed {
			t.Errorf("%s at %.7s: suppressed %v (%q), want %v", c.path, c.commit, got, fs[0].Suppressed, c.suppressed)
		}
	}
}

func TestGitleaksRulePathAndRuleAllowlists(t *testing.T) {
	conf := `
[extend]
useDefault = true

[[rules]]
id = "acme-internal-token"
regex = '''acme_token = (acm_[a-z0-9]{32})'''
path = '''\.env$'''
  [[rules.allowlists]]
  paths = ['''^test/''']

[[rules]]
id = "crisp-token"
  [rules.allowlist]
  regexTarget = "line"
  regexes = ['''#\s*fixture''']
`
	g := load(t, "gitleaks.toml", conf, nil)
	if len(g.Warnings) != 0 {
		t.Errorf("warnings %q", g.Warnings)
	}
	content := "acme_token = acm_" + randLower(t, 32) + "\n"
	for path, want := range map[string]bool{"app.env": false, "app.go": true, "test/app.env": true} {
		fs := detectAt(t, g, content, path, "")
		if len(fs) != 1 || (fs[0].Suppressed != "") != want {
			t.Errorf("%s: %v, want one finding suppressed=%v", path, fs, want)
		}
	}
	crisp := g.Set.Rule("crisp-token")
	if crisp.Detector != "crisp" || len(crisp.Allowlists) == 0 {
		t.Fatalf("crisp-token lost its detector or got no allowlist: %+v", crisp)
	}
	last := crisp.Allowlists[len(crisp.Allowlists)-1]
	if !last.AllowsContent(rules.Content{Line: "x = y # fixture"}) || last.AllowsContent(rules.Content{Line: "x = y"}) {
		t.Error("the rule's line allowlist does not apply to the line")
	}
}

func TestGitleaksTargetRulesAndAndCondition(t *testing.T) {
	conf := `
[extend]
useDefault = true

[[rules]]
id = "acme-internal-token"
regex = '''acme_token = (acm_[a-z0-9]{32})'''

[[rules]]
id = "acme-other"
regex = '''acme_other = (aco_[a-z0-9]{32})'''

[[allowlists]]
description = "fixtures: only fake-looking tokens under testdata"
condition = "AND"
targetRules = ["acme-internal-token", "generic-api-key"]
paths = ['''(^|/)testdata/''']
stopwords = ["fake"]
`
	g := load(t, ".gitleaks.toml", conf, nil)
	if len(g.Warnings) != 1 || !strings.Contains(g.Warnings[0], "targetRules: no rule generic-api-key") {
		t.Errorf("warnings %q, want one naming generic-api-key", g.Warnings)
	}
	fake := "acm_fake" + randLower(t, 28)
	real := "acm_" + randLower(t, 32)
	for _, c := range []struct {
		content, path string
		want          bool
	}{
		{"acme_token = " + fake + "\n", "pkg/testdata/a.txt", true},
		{"acme_token = " + real + "\n", "pkg/testdata/a.txt", false},                     // path alone is not enough
		{"acme_token = " + fake + "\n", "pkg/a.txt", false},                              // stopword alone is not enough
		{"acme_other = aco_fake" + randLower(t, 28) + "\n", "pkg/testdata/a.txt", false}, // not a target
	} {
		fs := detectAt(t, g, c.content, c.path, "")
		if len(fs) != 1 || (fs[0].Suppressed != "") != c.want {
			t.Errorf("%s in %s: %v, want one finding suppressed=%v", c.content[:10], c.path, fs, c.want)
		}
	}
}

func TestGitleaksExtendPath(t *testing.T) {
	base := `
[extend]
path = "shared/org.toml"
disabledRules = ["org-legacy"]

[[rules]]
id = "org-token"
description = "overridden here"
keywords = ["ORG_KEY"]
`
	org := `
[extend]
path = "shared/deeper.toml"

[[rules]]
id = "org-token"
regex = '''org_token=(org_[a-z0-9]{32})'''
keywords = ["org_token"]

[[rules]]
id = "org-legacy"
regex = '''legacy=(lg_[a-z0-9]{32})'''

[allowlist]
paths = ['''^generated/''']
`
	deeper := `
[extend]
path = "shared/too-deep.toml"
`
	g := load(t, ".gitleaks.toml", base, map[string]string{"shared/org.toml": org, "shared/deeper.toml": deeper})
	r := g.Set.Rule("org-token")
	if r == nil || r.Description != "overridden here" || r.Regex == "" || strings.Join(r.Keywords, ",") != "org_token,org_key" {
		t.Fatalf("org-token: %+v, want the extended regex and both files' keywords with the base's description", r)
	}
	if g.Set.Rule("org-legacy") != nil {
		t.Error("org-legacy was disabled by the base file but is in the set")
	}
	if len(g.Warnings) != 1 || !strings.Contains(g.Warnings[0], "too-deep.toml is past gitleaks' depth") {
		t.Errorf("warnings %q", g.Warnings)
	}
	fs := detectAt(t, g, "org_token=org_"+randLower(t, 32)+"\n", "generated/x.go", "")
	if len(fs) != 1 || fs[0].Suppressed == "" {
		t.Errorf("the extended file's allowlist does not apply: %v", fs)
	}
	if _, err := rules.LoadGitleaks("a.toml", []byte(base), rules.GitleaksOptions{}); err == nil {
		t.Error("an [extend] path without ReadFile is accepted")
	}
}

func TestGitleaksNeverSilentlyMisread(t *testing.T) {
	conf := `
title = "old and odd"
[extend]
useDefault = true
[[rules]]
id = "composite"
regex = '''client_id=([a-z0-9]{20})'''
[[rules.required]]
id = "helper"
withinLines = 3
[[rules]]
id = "helper"
regex = '''secret=([a-z0-9]{40})'''
skipReport = true
[[rules]]
id = "pem-files"
path = '''\.pem$'''
[[rules]]
id = "generic-api-key"
[[rules.allowlists]]
regexes = ['''example''']
[allowlist]
paths = ['''vendor''']
files = ['''(.*?)(jpg|gif)$''']
[whitelist]
regexes = ["x"]
`
	g := load(t, ".gitleaks.toml", conf, nil)
	all := strings.Join(g.Warnings, "\n")
	for _, want := range []string{"allowlist.files", "whitelist", "composite: [[rules.required]] is not supported",
		"helper: skipReport", "pem-files: a rule that matches file paths alone", "generic-api-key: has no regex"} {
		if !strings.Contains(all, want) {
			t.Errorf("no warning about %q in:\n%s", want, all)
		}
	}
	if g.Set.Rule("composite") == nil || g.Set.Rule("helper") != nil || g.Set.Rule("pem-files") != nil {
		t.Error("composite should run alone; helper and pem-files should be left out")
	}
	for _, w := range g.Warnings {
		if strings.Contains(w, "\n") {
			t.Errorf("warning spans lines: %q", w)
		}
	}
}

func TestGitleaksErrors(t *testing.T) {
	for conf, want := range map[string]string{
		"[allowlist]\npaths=['a']\n[[allowlists]]\npaths=['b']\n": "cannot be used alongside",
		"[[allowlists]]\ncondition='XOR'\npaths=['a']\n":          `unknown condition "XOR"`,
		"[[allowlists]]\nregexTarget='file'\nregexes=['a']\n":     `unknown regexTarget "file"`,
		"[[allowlists]]\ndescription='empty'\n":                   "must hold at least one of",
		"[allowlist]\npaths=['(unclosed']\n":                      `path "(unclosed" is not a regular expression`,
		"[[rules]]\nregex='x'\n":                                  "a rule has no id",
		"[[rules]]\nid='r'\nregex='('\n":                          "rule r",
		"[extend]\nuseDefault=true\npath='x.toml'\n":              "cannot both be set",
		"[[rules]\nid='r'\n":                                      "line 2",
	} {
		_, err := rules.LoadGitleaks(".gitleaks.toml", []byte(conf), rules.GitleaksOptions{})
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error %v, want one line containing %q", conf, err, want)
		}
	}
}

func TestGitleaksNoExtendWarns(t *testing.T) {
	g := load(t, ".gitleaks.toml", "[[rules]]\nid='r'\nregex='''r=(x[0-9]{20})'''\n", nil)
	if len(g.Warnings) != 1 || !strings.Contains(g.Warnings[0], "crisp-token") {
		t.Errorf("warnings %q, want one saying the scanner's own rules still run", g.Warnings)
	}
	g = load(t, ".gitleaks.toml", "[extend]\ndisabledRules=['crisp-token','kustomer-api-key']\n[[rules]]\nid='r'\nregex='''r=(x[0-9]{20})'''\n", nil)
	if g.Set.Rule("crisp-token") != nil || g.Set.Rule("kustomer-api-key") != nil {
		t.Error("disabledRules did not turn our rules off")
	}
}

func TestIsGitleaksConfig(t *testing.T) {
	for _, c := range []struct {
		name, conf string
		want       bool
	}{
		{".gitleaks.toml", "", true},
		{"ci/gitleaks-org.toml", "", true},
		{"conf.toml", typicalGitleaks, true}, // tags, minVersion
		{"conf.toml", "[allowlist]\npaths = ['''(^|/)vendor/''']\n", true},
		{"conf.toml", "[[allowlists]]\ntargetRules=['x']\nregexes=['y']\n", true},
		{"conf.toml", "[allowlist]\npaths = ['**/testdata/**', 'docs/*.md']\n", false},
		{"conf.toml", "[[rules]]\nid='x'\nregex='y'\nseverity='high'\ntags=['a']\n", false},
		{"conf.toml", "[[allowlists]]\nfingerprints=['sha256:00']\npaths=['^a$']\n", false},
		{".scanner.toml", "[allowlist]\npaths = ['vendor/']\n", false},
		{"conf.toml", "not toml [", false},
	} {
		if got := rules.IsGitleaksConfig(c.name, []byte(c.conf)); got != c.want {
			t.Errorf("IsGitleaksConfig(%s, %.40q) = %v, want %v", c.name, c.conf, got, c.want)
		}
	}
}
