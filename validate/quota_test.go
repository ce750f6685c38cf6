package validate

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
)

// manyPluginTokens registers n live plugin tokens (one website each) with
// the stand-in and returns a finding for each.
func manyPluginTokens(s *crispStandIn, n int) []finding.Finding {
	r := rand.New(rand.NewPCG(7, 7))
	fs := make([]finding.Finding, n)
	for i := range fs {
		id, key := rules.RandomUUID(r), rules.RandomHex(r, 32)
		s.tokens[id+":"+key] = crispToken{tier: "plugin", pluginID: rules.RandomUUID(r), websites: []string{rules.RandomUUID(r)}}
		fs[i] = crispFinding(id, key, "")
	}
	return fs
}

// quotaOptions are the options of the quota runs: the defaults of a CLI run
// (reach on, two retries) with test timings and no rate limit.
func quotaOptions(url string) Options {
	o := fastOptions(url, "")
	o.Rate, o.Retries, o.Reach = 1e9, 2, true
	return o
}

// count tallies the findings by status, and checks each unknown one says why.
func count(t *testing.T, fs []finding.Finding, why string) map[finding.Status]int {
	t.Helper()
	n := map[finding.Status]int{}
	for _, f := range fs {
		n[f.Validation.Status]++
		if f.Validation.Status == finding.Unknown && !strings.Contains(f.Validation.Detail, why) {
			t.Fatalf("unknown without %q: %q", why, f.Validation.Detail)
		}
	}
	return n
}

// Issue 12: 6,000 plugin tokens against a Crisp whose plugin quota (5,000)
// runs out cost 15,503 requests. With the default budget the run stays
// within 500 requests and the rest are unknown, saying the budget is spent.
func TestSixThousandTokensStayWithinTheBudget(t *testing.T) {
	s := newCrispStandIn(t)
	s.quota, s.quotaReply = 5000, quotaPlain
	fs := manyPluginTokens(s, 6000)
	v := New(quotaOptions(s.URL))
	v.Validate(context.Background(), fs)
	sent := len(s.sent())
	n := count(t, fs, "budget (500) is used up")
	u := v.Usage()["crisp/plugin"]
	t.Logf("requests %d, statuses %v, usage %+v", sent, n, u)
	if sent > DefaultBudget || u.Requests != sent || u.Budget != DefaultBudget {
		t.Fatalf("%d requests sent (usage %+v), want at most the budget %d", sent, u, DefaultBudget)
	}
	if n[finding.Live] == 0 || n[finding.Invalid] != 0 || n[finding.Live]+n[finding.Unknown] != len(fs) {
		t.Fatalf("statuses %v", n)
	}
	if u.Skipped != n[finding.Unknown] {
		t.Fatalf("skipped %d, want the %d unknown credentials", u.Skipped, n[finding.Unknown])
	}
}

// With the budget lifted, the spent quota itself stops the run: a plain 429
// that keeps coming (nothing in it names the quota) ends the plugin tier, and
// no credential is tried three times past it.
func TestSpentQuotaStopsTheTier(t *testing.T) {
	s := newCrispStandIn(t)
	s.quota, s.quotaReply = 5000, quotaPlain
	fs := manyPluginTokens(s, 6000)
	opts := quotaOptions(s.URL)
	opts.Budgets, opts.Workers = map[string]int{"crisp": -1}, 4
	v := New(opts)
	v.Validate(context.Background(), fs)
	sent := len(s.sent())
	n := count(t, fs, "quota is spent")
	u := v.Usage()["crisp/plugin"]
	t.Logf("requests %d, statuses %v, usage %+v", sent, n, u)
	// each worker may be in the middle of one credential's retries when the
	// quota runs out
	if limit := 5000 + opts.Workers*(opts.Retries+1); sent > limit {
		t.Fatalf("%d requests, want at most %d", sent, limit)
	}
	if !u.QuotaSpent || u.QuotaResets.IsZero() || n[finding.Unknown] < 6000-5000/2 || u.Skipped != n[finding.Unknown] {
		t.Fatalf("usage %+v, statuses %v", u, n)
	}
}

// A 429 naming the quota stops the tier at once, and the detail and usage
// say when it resets (Retry-After).
func TestQuotaNamedInTheAnswer(t *testing.T) {
	s := newCrispStandIn(t)
	s.quota, s.quotaReply = 10, quotaNamed
	fs := manyPluginTokens(s, 40)
	opts := quotaOptions(s.URL)
	opts.Reach, opts.Workers = false, 1
	v := New(opts)
	v.Validate(context.Background(), fs)
	if sent := len(s.sent()); sent != 11 {
		t.Fatalf("%d requests, want 10 within the quota and the one refused", sent)
	}
	n := count(t, fs, "resets at")
	u := v.Usage()["crisp/plugin"]
	if n[finding.Live] != 10 || u.Skipped != 30 || time.Until(u.QuotaResets) < 9*time.Hour {
		t.Fatalf("statuses %v, usage %+v", n, u)
	}
}

// A Kustomer answer saying nothing remains in a window that resets later
// than we wait ends Kustomer requests for the run, without a 429.
func TestKustomerNothingRemaining(t *testing.T) {
	fx := fixture(30)
	s := newKustomerStandIn(t)
	s.live[fx.KustomerKey] = true
	inner := s.Config.Handler
	s.Config.Handler = headerWrap(inner, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "3600"})
	v := New(fastOptions("", s.URL))
	f, g := kustomerFinding(fx.KustomerKey), kustomerFinding(fx.KustomerChatKey)
	if got := v.Check(context.Background(), &f); got.Status != finding.Live {
		t.Fatalf("first key: %s %q", got.Status, got.Detail)
	}
	got := v.Check(context.Background(), &g)
	s.mu.Lock()
	hits := s.hits
	s.mu.Unlock()
	if got.Status != finding.Unknown || !strings.Contains(got.Detail, "quota is spent") || hits != 1 {
		t.Fatalf("second key: %s %q after %d requests, want unknown after 1", got.Status, got.Detail, hits)
	}
}

// A window with nothing left that resets soon holds requests back, and does
// not end them: the next key is still checked.
func TestKustomerShortWindowHolds(t *testing.T) {
	fx := fixture(31)
	s := newKustomerStandIn(t)
	s.live[fx.KustomerKey], s.live[fx.KustomerChatKey] = true, true
	s.Config.Handler = headerWrap(s.Config.Handler, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1"})
	v := New(fastOptions("", s.URL))
	for _, tok := range []string{fx.KustomerKey, fx.KustomerChatKey} {
		f := kustomerFinding(tok)
		if got := v.Check(context.Background(), &f); got.Status != finding.Live {
			t.Fatalf("%s %q", got.Status, got.Detail)
		}
	}
	if u := v.Usage()["kustomer"]; u.QuotaSpent || u.Requests != 2 {
		t.Fatalf("usage %+v", u)
	}
}

func TestBudgetFor(t *testing.T) {
	b := map[string]int{"crisp": 50, "crisp/website": 7, "check": 3}
	for key, want := range map[string]int{"crisp/plugin": 50, "crisp/website": 7, "kustomer": DefaultBudget, "check:api.example.com": 3} {
		if got := budgetFor(b, key); got != want {
			t.Errorf("%s: %d, want %d", key, got, want)
		}
	}
}

func TestParseBudgets(t *testing.T) {
	got, err := ParseBudgets("crisp=500, Kustomer=200,crisp/website=-1,")
	if err != nil || len(got) != 3 || got["crisp"] != 500 || got["kustomer"] != 200 || got["crisp/website"] != -1 {
		t.Fatalf("%v %v", got, err)
	}
	for _, bad := range []string{"crisp", "crisp=x", "=5", "crisp=-2"} {
		if _, err := ParseBudgets(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
