package validate

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/scanner-dev/scanner/finding"
)

// DefaultBudget is how many requests one run may send to one provider key
// ("crisp/plugin", "crisp/website", "kustomer", "check:<host>") when
// Options.Budgets does not name it: a tenth of Crisp's smallest documented
// daily quota (plugin tier, 5,000 a day), so a scan never spends an owner's
// quota.
const DefaultBudget = 500

// gate guards one provider key: the run's request budget and the provider's
// own quota. Once either is spent it refuses every further request, so the
// credentials left are Unknown at no cost.
type gate struct {
	key     string
	mu      sync.Mutex
	budget  int // negative: unlimited
	used    int
	skipped int
	spent   bool      // the provider said its quota is spent
	spentBy string    // what said so
	resets  time.Time // when the provider said the quota resets (zero: not said)
	hold    time.Time // no request before this: a window with nothing left
}

// errStopped means the gate refused a request: budget or quota spent.
type errStopped struct{ why string }

func (e errStopped) Error() string { return e.why }

// acquire takes one request from the budget, waiting out a short hold first.
// A refusal counts a skipped credential when skip is set.
func (g *gate) acquire(ctx context.Context, skip bool) error {
	g.mu.Lock()
	hold := g.hold
	g.mu.Unlock()
	if d := time.Until(hold); d > 0 {
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := g.refusal(); err != nil {
		if skip {
			g.skipped++
		}
		return err
	}
	g.used++
	return nil
}

// refuse returns why no request may be sent now, counting a skipped
// credential when skip is set, or nil.
func (g *gate) refuse(skip bool) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	err := g.refusal()
	if err != nil && skip {
		g.skipped++
	}
	return err
}

// refusal says why no request may be sent, or nil. Callers hold mu.
func (g *gate) refusal() error {
	if g.spent {
		return errStopped{fmt.Sprintf("not checked: the %s quota is spent (%s); %s; no more requests go to %s this run, to spare the owner's quota",
			g.key, g.spentBy, resetsText(g.resets), g.key)}
	}
	if g.budget >= 0 && g.used >= g.budget {
		return errStopped{fmt.Sprintf("not checked: this run's %s request budget (%d) is used up; check again later or raise it (--validate-budget)",
			g.key, g.budget)}
	}
	return nil
}

func resetsText(t time.Time) string {
	if t.IsZero() {
		return "the provider did not say when it resets"
	}
	return "it resets at " + t.UTC().Format(time.RFC3339)
}

// spend marks the provider's quota spent for the rest of the run.
func (g *gate) spend(by string, resets time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.spent {
		g.spent, g.spentBy = true, by
	}
	if resets.After(g.resets) {
		g.resets = resets
	}
}

// holdUntil keeps requests back until t (a rate window with nothing left).
func (g *gate) holdUntil(t time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if t.After(g.hold) {
		g.hold = t
	}
}

func (g *gate) usage() finding.ProviderUsage {
	g.mu.Lock()
	defer g.mu.Unlock()
	return finding.ProviderUsage{Requests: g.used, Budget: max(g.budget, -1), QuotaSpent: g.spent,
		QuotaResets: g.resets, Skipped: g.skipped}
}

// ParseBudgets reads a --validate-budget value: comma-separated key=N pairs
// ("crisp=500,kustomer=200", "crisp/website=50", "check=0"), N -1 for
// unlimited. Keys are provider keys or providers, as Options.Budgets takes.
func ParseBudgets(s string) (map[string]int, error) {
	out := map[string]int{}
	for _, kv := range strings.Split(s, ",") {
		if kv = strings.TrimSpace(kv); kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		n, err := strconv.Atoi(strings.TrimSpace(v))
		k = strings.ToLower(strings.TrimSpace(k))
		if !ok || k == "" || err != nil || n < -1 {
			return nil, fmt.Errorf("validation budget %q: want provider=N (N a count, or -1 for unlimited)", kv)
		}
		out[k] = n
	}
	return out, nil
}

// budgetFor picks key's budget: the exact key, then its provider ("crisp"
// for "crisp/plugin", "check" for "check:host"), then DefaultBudget.
func budgetFor(budgets map[string]int, key string) int {
	if b, ok := budgets[key]; ok {
		return b
	}
	if i := strings.IndexAny(key, "/:"); i > 0 {
		if b, ok := budgets[key[:i]]; ok {
			return b
		}
	}
	return DefaultBudget
}

// quotaReset reads when a throttled or exhausted window resets, from
// Retry-After, X-RateLimit-Reset or RateLimit-Reset (epoch seconds, or
// seconds from now when small).
func quotaReset(h http.Header) (time.Time, bool) {
	if d, ok := retryAfter(h); ok {
		return time.Now().Add(d), true
	}
	for _, name := range []string{"X-RateLimit-Reset", "RateLimit-Reset"} {
		n, err := strconv.ParseInt(strings.TrimSpace(h.Get(name)), 10, 64)
		switch {
		case err != nil || n < 0:
		case n > 1_000_000_000:
			return time.Unix(n, 0), true
		default:
			return time.Now().Add(time.Duration(n) * time.Second), true
		}
	}
	return time.Time{}, false
}

// nothingLeft reports whether the answer's rate-limit headers say the window
// has no request left (X-RateLimit-Remaining or RateLimit-Remaining: 0).
func nothingLeft(h http.Header) bool {
	for _, name := range []string{"X-RateLimit-Remaining", "RateLimit-Remaining"} {
		if v := strings.TrimSpace(h.Get(name)); v != "" {
			n, err := strconv.Atoi(v)
			return err == nil && n <= 0
		}
	}
	return false
}

// saysQuota reports whether a throttled answer's body names a quota (Crisp's
// reason string for a spent daily quota is not documented; any mention of
// "quota" in the first KiB counts).
func saysQuota(body []byte) bool {
	return bytes.Contains(bytes.ToLower(body[:min(len(body), 1024)]), []byte("quota"))
}
