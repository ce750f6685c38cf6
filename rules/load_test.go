package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultRulesLoad(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"crisp-token", "kustomer-api-key", "generic-basic-auth", "generic-bearer-token"} {
		if s.Rule(id) == nil {
			t.Errorf("default set lacks %s", id)
		}
	}
	if len(s.Allowlists) == 0 {
		t.Error("no global allowlists")
	}
}

func TestConfigErrorsNameTheProblem(t *testing.T) {
	cases := map[string]struct{ toml, want string }{
		"syntax":       {"[[rules]\nid = 1", "line"},
		"unknown key":  {"[[rules]]\nid = \"x\"\nregex = \"a\"\nregx = \"b\"\n", "unknown keys: rules.regx"},
		"bad regex":    {"[[rules]]\nid = \"x\"\nregex = \"(\"\n", "rule x: regex"},
		"severity":     {"[[rules]]\nid = \"x\"\nregex = \"a\"\nseverity = \"huge\"\n", "unknown severity"},
		"detector":     {"[[rules]]\nid = \"x\"\ndetector = \"magic\"\n", "unknown detector"},
		"no matcher":   {"[[rules]]\nid = \"x\"\n", "needs a regex or a detector"},
		"no id":        {"[[rules]]\nregex = \"a\"\n", "rule without id"},
		"part":         {"[[rules]]\nid = \"x\"\nregex = \"(?P<a>a)\"\nparts = [\"b\"]\n", `part "b"`},
		"disabled":     {"[extend]\ndisabledRules = [\"nope\"]\n", `no rule "nope"`},
		"glob":         {"[[allowlists]]\npaths = [\"[\"]\n", "bad path glob"},
		"fingerprint":  {"[[allowlists]]\nfingerprints = [\"abc\"]\n", "want sha256:"},
		"short commit": {"[[allowlists]]\ncommits = [\"abc\"]\n", "at least 7"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseConfig("cfg.toml", []byte(c.toml))
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "cfg.toml") {
				t.Fatalf("error %v, want it to name cfg.toml and say %q", err, c.want)
			}
		})
	}
}

func TestConfigExtendsOverridesAndDisables(t *testing.T) {
	cfg := `
[extend]
disabledRules = ["generic-bearer-token"]

[[rules]]
id = "crisp-token"
severity = "critical"
[[rules.allowlists]]
paths = ["fixtures/**"]

[[rules]]
id = "acme-key"
description = "ACME internal key"
regex = "acme_(?P<key>[a-z0-9]{24})"
parts = ["key"]
keywords = ["ACME_"]
`
	s, err := ParseConfig("cfg.toml", []byte(cfg))
	if err != nil {
		t.Fatal(err)
	}
	if s.Rule("generic-bearer-token") != nil {
		t.Error("disabled rule still present")
	}
	c := s.Rule("crisp-token")
	if c == nil || c.Severity != "critical" || c.Detector != "crisp" || len(c.Allowlists) != 2 || len(c.Examples) == 0 {
		t.Fatalf("override not merged over the default: %+v", c)
	}
	a := s.Rule("acme-key")
	if a == nil || a.Provider != "generic" || a.Keywords[0] != "acme_" || a.Compiled() == nil {
		t.Fatalf("user rule not added: %+v", a)
	}
}

func TestConfigWithoutDefaults(t *testing.T) {
	s, err := ParseConfig("cfg.toml", []byte("[extend]\nuseDefault = false\n[[rules]]\nid = \"x\"\nregex = \"x(y)\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Rules) != 1 || s.Rules[0].SecretGroup != 1 {
		t.Fatalf("rules %+v", s.Rules)
	}
}

func TestLoadConfigMissingFile(t *testing.T) {
	_, err := LoadConfig(filepath.Join(t.TempDir(), "nope.toml"))
	if err == nil || !os.IsNotExist(errorsUnwrapAll(err)) {
		t.Fatalf("err %v", err)
	}
}

func errorsUnwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}

func TestAllowlistMatching(t *testing.T) {
	a := Allowlist{
		Paths: []string{"**/testdata/**"}, Regexes: []string{"^AKIA"}, Stopwords: []string{"EXAMPLE"},
		Commits: []string{"abcdef0"},
	}
	if err := a.compile(); err != nil {
		t.Fatal(err)
	}
	if !a.AllowsLocation("pkg/testdata/x.env", "") || a.AllowsLocation("pkg/x.env", "") {
		t.Error("path glob")
	}
	if !a.AllowsLocation("x", "abcdef0123") || a.AllowsLocation("x", "") {
		t.Error("commit prefix")
	}
	if !a.AllowsContent(Content{Parts: []string{"AKIA123"}}) || !a.AllowsContent(Content{Parts: []string{"my-example-key"}}) {
		t.Error("regex or stopword")
	}
	if a.AllowsContent(Content{Parts: []string{"zz"}}) {
		t.Error("allowed unrelated content")
	}
}

func TestPrefetchedDefaultIsTheSameSetAndNotShared(t *testing.T) {
	want, err := parseDefault()
	if err != nil {
		t.Fatal(err)
	}
	Prefetch()
	Prefetch() // a second call while one is pending starts nothing
	a, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	b := MustDefault()
	if len(a.Rules) != len(want.Rules) || len(b.Rules) != len(want.Rules) {
		t.Fatalf("%d and %d rules, want %d", len(a.Rules), len(b.Rules), len(want.Rules))
	}
	for i := range want.Rules {
		if a.Rules[i].ID != want.Rules[i].ID || a.Rules[i].Regex != want.Rules[i].Regex {
			t.Errorf("rule %d: prefetched %s, parsed %s", i, a.Rules[i].ID, want.Rules[i].ID)
		}
		if a.Rules[i] == b.Rules[i] {
			t.Fatalf("rule %s is shared between two Default calls", a.Rules[i].ID)
		}
	}
}
