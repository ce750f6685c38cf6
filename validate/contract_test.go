package validate

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
)

// provider is one checker under the contract: setup makes a validator whose
// provider answers as state says ("live", "revoked", "5xx", "slow",
// "redirect"), a finding for a credential in that state, and a count of the
// requests the provider received.
type provider struct {
	name  string
	setup func(t *testing.T, state string, evil string) (*Validator, finding.Finding, func() int)
}

func providers() []provider {
	return []provider{
		{"crisp", setupCrisp},
		{"kustomer", setupKustomer},
		{"declarative", setupDeclarative},
	}
}

// TestProviderContract runs the same expectations against every provider:
// live is live, revoked is invalid, errors, timeouts and cancellations are
// unknown, and nothing is ever sent anywhere but the provider.
func TestProviderContract(t *testing.T) {
	cases := []struct {
		state  string
		cancel bool
		want   finding.Status
	}{
		{"live", false, finding.Live},
		{"revoked", false, finding.Invalid},
		{"5xx", false, finding.Unknown},
		{"slow", false, finding.Unknown},
		{"live", true, finding.Unknown},
		{"redirect", false, finding.Unknown},
	}
	for _, p := range providers() {
		for _, c := range cases {
			name := p.name + "/" + c.state
			if c.cancel {
				name += "/cancelled"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				var evilHits atomic.Int64
				evil := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { evilHits.Add(1) }))
				defer evil.Close()
				v, f, hits := p.setup(t, c.state, evil.URL)
				ctx, cancel := context.WithCancel(context.Background())
				if c.cancel {
					cancel()
				}
				defer cancel()
				got := v.Check(ctx, &f)
				if got.Status != c.want {
					t.Fatalf("status %s (%s), want %s", got.Status, got.Detail, c.want)
				}
				if evilHits.Load() != 0 {
					t.Fatal("a request reached a host other than the provider's")
				}
				if c.cancel && hits() != 0 {
					t.Fatalf("%d requests sent after cancellation", hits())
				}
			})
		}
	}
}

// redirectTo answers every request with a redirect to target.
func redirectTo(target string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target+r.URL.Path, http.StatusFound)
	})
}

func setupCrisp(t *testing.T, state, evil string) (*Validator, finding.Finding, func() int) {
	fx := fixture(10)
	s := newCrispStandIn(t)
	tok := crispToken{tier: "plugin"}
	switch state {
	case "revoked":
		tok.revoked = true
	case "5xx":
		s.failures = 100
	case "slow":
		s.delay = 600 * time.Millisecond
	case "redirect":
		s.Config.Handler = redirectTo(evil)
	}
	s.tokens[fx.ID+":"+fx.Key] = tok
	f := crispFinding(fx.ID, fx.Key, "plugin", fx.WebsiteID)
	return New(fastOptions(s.URL, "")), f, func() int { return len(s.sent()) }
}

func setupKustomer(t *testing.T, state, evil string) (*Validator, finding.Finding, func() int) {
	fx := fixture(11)
	s := newKustomerStandIn(t)
	switch state {
	case "live":
		s.live[fx.KustomerKey] = true
	case "5xx":
		s.failures = 100
	case "slow":
		s.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(600 * time.Millisecond)
			s.serve(w, r)
		})
	case "redirect":
		s.Config.Handler = redirectTo(evil)
	}
	hits := func() int { s.mu.Lock(); defer s.mu.Unlock(); return s.hits }
	return New(fastOptions("", s.URL)), kustomerFinding(fx.KustomerKey), hits
}

func setupDeclarative(t *testing.T, state, evil string) (*Validator, finding.Finding, func() int) {
	fx := fixture(12)
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch {
		case state == "5xx":
			w.WriteHeader(502)
		case state == "slow":
			time.Sleep(600 * time.Millisecond)
		case state == "redirect":
			redirectTo(evil).ServeHTTP(w, r)
		case state == "live" && r.Header.Get("Authorization") == "Bearer "+fx.Token:
			w.WriteHeader(200)
		default:
			w.WriteHeader(401)
		}
	}))
	t.Cleanup(srv.Close)
	set, err := rules.ParseConfig("cfg.toml", []byte(`
[[rules]]
id = "acme-token"
regex = '''acme_(?P<token>[A-Za-z0-9]{40})'''
parts = ["token"]
[rules.check]
url = "`+srv.URL+`/v1/me"
headers = { Authorization = "Bearer {{.token}}" }
live = [200]
invalid = [401]
`))
	if err != nil {
		t.Fatal(err)
	}
	opts := fastOptions("", "")
	opts.Rules = set
	parts := []finding.Part{{Name: "token", Value: finding.NewSecret(fx.Token)}}
	f := finding.Finding{RuleID: "acme-token", Provider: "generic", Parts: parts, Fingerprint: finding.Fingerprint(parts...)}
	return New(opts), f, func() int { return int(hits.Load()) }
}
