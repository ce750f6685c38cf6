package detect

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
)

func fixture(t *testing.T) *rules.Fixture {
	t.Helper()
	return rules.NewFixture(rand.New(rand.NewPCG(uint64(len(t.Name())), 1)))
}

func render(t *testing.T, fx *rules.Fixture, text string) []byte {
	t.Helper()
	s, err := fx.Render(t.Name(), text)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(s)
}

func TestUserRegexRule(t *testing.T) {
	set, err := rules.ParseConfig("cfg.toml", []byte(`
[[rules]]
id = "acme-key"
regex = '''acme_(?P<key>[a-z0-9]{24})'''
parts = ["key"]
keywords = ["acme_"]
entropy = 3.0
`))
	if err != nil {
		t.Fatal(err)
	}
	d := New(set)
	got := d.Detect(finding.Chunk{Data: []byte("x\nTOKEN = \"acme_k3j4h5g6f7d8s9a0q1w2e3r4\"\nacme_aaaaaaaaaaaaaaaaaaaaaaaa\n"), Line: 1})
	if len(got) != 1 || got[0].RuleID != "acme-key" || got[0].Line != 2 || got[0].Column != 15 {
		t.Fatalf("got %+v", got)
	}
	if got[0].Fingerprint != finding.Fingerprint(finding.Part{Value: finding.NewSecret("k3j4h5g6f7d8s9a0q1w2e3r4")}) {
		t.Error("fingerprint is not of the key group")
	}
}

func TestGenericYieldsToProvider(t *testing.T) {
	fx := fixture(t)
	data := render(t, fx, "X-Crisp-Tier: plugin\nAuthorization: Basic {{b64 .ID \":\" .Key}}\n")
	got := New(rules.MustDefault()).Detect(finding.Chunk{Data: data, Line: 1})
	if len(got) != 1 || got[0].RuleID != "crisp-token" {
		t.Fatalf("want only the crisp finding, got %d: %v", len(got), ruleIDs(got))
	}
}

func TestBasicWithoutAnchorIsGenericWithPairFingerprint(t *testing.T) {
	fx := fixture(t)
	data := render(t, fx, "Authorization: Basic {{b64 .ID \":\" .Key}}\n")
	got := New(rules.MustDefault()).Detect(finding.Chunk{Data: data, Line: 1})
	want := finding.Fingerprint(finding.Part{Value: finding.NewSecret(fx.ID)}, finding.Part{Value: finding.NewSecret(fx.Key)})
	if len(got) != 1 || got[0].RuleID != "generic-basic-auth" || got[0].Fingerprint != want {
		t.Fatalf("got %v", ruleIDs(got))
	}
}

func TestInlineAllowMarksSuppressed(t *testing.T) {
	fx := fixture(t)
	for _, marker := range []string{"scanner:allow", "gitleaks:allow"} {
		data := render(t, fx, "CRISP_IDENTIFIER={{.ID}}\nCRISP_KEY={{.Key}} # "+marker+"\n")
		got := New(rules.MustDefault()).Detect(finding.Chunk{Data: data, Line: 1})
		if len(got) != 1 || got[0].Suppressed != SuppressedInline {
			t.Fatalf("%s: got %+v", marker, got)
		}
	}
}

func TestChunkPlacement(t *testing.T) {
	fx := fixture(t)
	data := render(t, fx, "a\nb\n  crisp_key = \"{{.Key}}\"\n  crisp_id = \"{{.ID}}\"\n")
	loc := finding.Location{Path: "cfg/app.ini", Commit: "c0ffee"}
	got := New(rules.MustDefault()).Detect(finding.Chunk{Data: data, Offset: 1000, Line: 41, Locations: []finding.Location{loc}})
	if len(got) != 1 {
		t.Fatalf("got %d findings", len(got))
	}
	f := got[0]
	if f.Path != "cfg/app.ini" || f.Line != 43 || f.EndLine != 44 || f.Column != 16 || f.Start != 1000+int64(strings.Index(string(data), fx.Key)) {
		t.Fatalf("placed at %s:%d-%d col %d start %d", f.Path, f.Line, f.EndLine, f.Column, f.Start)
	}
}

func TestTriageByPathAndCommit(t *testing.T) {
	set, err := rules.ParseConfig("cfg.toml", []byte(`
[[allowlists]]
paths = ["**/fixtures/**"]
commits = ["1234567"]
`))
	if err != nil {
		t.Fatal(err)
	}
	d := New(set)
	cases := []struct {
		path, commit string
		want         bool
	}{
		{"a/fixtures/x.env", "", true}, {"a/x.env", "12345678aa", true}, {"a/x.env", "7654321", false},
		{"package-lock.json", "", true}, {"sub/go.sum", "", true},
	}
	for _, c := range cases {
		f := finding.Finding{RuleID: "crisp-token", Location: finding.Location{Path: c.path, Commit: c.commit}}
		if got := d.Triage(&f); got != c.want {
			t.Errorf("%s@%s: triage %v, want %v", c.path, c.commit, got, c.want)
		}
	}
}

func ruleIDs(fs []finding.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.RuleID+"/"+string(f.Suppressed))
	}
	return out
}
