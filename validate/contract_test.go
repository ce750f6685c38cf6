package validate

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
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
	name   string
	setup  func(t *testing.T, state string, evil string) (*Validator, finding.Finding, func() int)
	shaped bool // the provider documents its answers' shape (declarative checks go by status only)
}

func providers() []provider {
	return []provider{
		{"crisp", setupCrisp, true},
		{"kustomer", setupKustomer, true},
		{"declarative", setupDeclarative, false},
	}
}

// shapeStates are answers from something other than the provider: a captive
// portal's HTML 200, a proxy's {} 200, JSON of the wrong shape, a proxy's
// HTML 401. None proves anything about the credential.
var shapeStates = map[string]bool{"portal-html": true, "portal-{}": true, "wrong-shape": true, "proxy-401": true}

// contractOptions are fastOptions, with no budget at all in state "budget".
func contractOptions(state, crispURL, kustomerURL string) Options {
	o := fastOptions(crispURL, kustomerURL)
	if state == "budget" {
		o.Budgets = map[string]int{"crisp": 0, "kustomer": 0, "check": 0}
	}
	return o
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
		{"portal-html", false, finding.Unknown},
		{"portal-{}", false, finding.Unknown},
		{"wrong-shape", false, finding.Unknown},
		{"proxy-401", false, finding.Unknown},
		{"quota", false, finding.Unknown},
		{"budget", false, finding.Unknown},
	}
	for _, p := range providers() {
		for _, c := range cases {
			if shapeStates[c.state] && !p.shaped {
				continue
			}
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
				t.Logf("%s: %s", got.Status, got.Detail)
				if got.Status != c.want {
					t.Fatalf("status %s (%s), want %s", got.Status, got.Detail, c.want)
				}
				if evilHits.Load() != 0 {
					t.Fatal("a request reached a host other than the provider's")
				}
				if c.cancel && hits() != 0 {
					t.Fatalf("%d requests sent after cancellation", hits())
				}
				if c.state == "quota" || c.state == "budget" {
					spentContract(t, v, f, hits, c.state)
				}
			})
		}
	}
}

// spentContract checks a spent quota or budget: the detail says so (and when
// the quota resets), the usage report shows it, and another credential of
// the same provider costs no request at all.
func spentContract(t *testing.T, v *Validator, f finding.Finding, hits func() int, state string) {
	t.Helper()
	before := hits()
	g := f
	g.Fingerprint += "-another-credential"
	got := v.Check(context.Background(), &g)
	want := map[string]string{"quota": "quota is spent", "budget": "budget"}[state]
	if got.Status != finding.Unknown || !strings.Contains(got.Detail, want) {
		t.Fatalf("next credential: %s %q, want unknown saying %q", got.Status, got.Detail, want)
	}
	if state == "quota" && !strings.Contains(got.Detail, "resets at") {
		t.Errorf("detail %q does not say when the quota resets", got.Detail)
	}
	if hits() != before {
		t.Fatalf("%d requests sent after the %s was spent", hits()-before, state)
	}
	var skipped int
	for _, u := range v.Usage() {
		skipped += u.Skipped
		if state == "quota" && u.Requests > 0 && (!u.QuotaSpent || u.QuotaResets.IsZero()) {
			t.Errorf("usage %+v: quota not reported spent with its reset", u)
		}
		if state == "budget" && u.Requests != 0 {
			t.Errorf("usage %+v: requests sent with a budget of 0", u)
		}
	}
	if skipped < 2 {
		t.Errorf("usage %+v: want both credentials counted as skipped", v.Usage())
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
	case "portal-html", "portal-{}", "wrong-shape":
		s.portal = map[string]string{"portal-html": "html", "portal-{}": "{}", "wrong-shape": "shape"}[state]
	case "proxy-401":
		s.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.serve(httptest.NewRecorder(), r) // counted
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(401)
			_, _ = w.Write([]byte("<html>Proxy authentication</html>"))
		})
	case "quota":
		s.quota, s.quotaUsed, s.quotaReply, s.quotaAllTiers = 1, 1, quotaNamed, true
	}
	s.tokens[fx.ID+":"+fx.Key] = tok
	f := crispFinding(fx.ID, fx.Key, "plugin", fx.WebsiteID)
	return New(contractOptions(state, s.URL, "")), f, func() int { return len(s.sent()) }
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
	case "portal-html", "portal-{}", "wrong-shape", "proxy-401":
		s.live[fx.KustomerKey] = true
		s.portal = map[string]string{"portal-html": "html", "portal-{}": "{}", "wrong-shape": "other", "proxy-401": "html401"}[state]
	case "quota":
		s.live[fx.KustomerKey] = true
		s.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.serve(httptest.NewRecorder(), r) // counted
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
			w.WriteHeader(429)
		})
	}
	hits := func() int { s.mu.Lock(); defer s.mu.Unlock(); return s.hits }
	return New(contractOptions(state, "", s.URL)), kustomerFinding(fx.KustomerKey), hits
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
		case state == "quota":
			w.Header().Set("Retry-After", "7200")
			w.WriteHeader(429)
			_, _ = w.Write([]byte(`{"error":"daily quota exceeded"}`))
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
	opts := contractOptions(state, "", "")
	opts.Rules = set
	parts := []finding.Part{{Name: "token", Value: finding.NewSecret(fx.Token)}}
	f := finding.Finding{RuleID: "acme-token", Provider: "generic", Parts: parts, Fingerprint: finding.Fingerprint(parts...)}
	return New(opts), f, func() int { return int(hits.Load()) }
}
