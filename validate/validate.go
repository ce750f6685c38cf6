package validate

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/sync/singleflight"
	"golang.org/x/time/rate"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
)

// Options configure a Validator. Zero values take the defaults below.
type Options struct {
	Client          *http.Client  // default: one that never follows redirects
	CrispURL        string        // default DefaultCrispURL
	KustomerURL     string        // default: the host named by each key's claims
	CrispWebsiteIDs []string      // website ids to try for Crisp website tokens
	Workers         int           // credentials checked at once (default 4)
	Rate            float64       // requests per second per provider (default 5)
	Timeout         time.Duration // per request (default 10s)
	Retries         int           // retries after a 429/420/5xx/network error (default 2)
	MaxRetryWait    time.Duration // longest Retry-After honoured (default 60s)
	Backoff         time.Duration // first pause before retrying a 5xx (default 500ms)
	UserAgent       string        // default "scanner/dev"
	AllowedHosts    []string      // hosts repository-defined checks may reach
	Cache           *Cache        // optional answers from earlier runs
	Rules           *rules.Set    // for rules' declarative checks
	Log             zerolog.Logger

	// Budgets caps the requests this run sends, by provider key:
	// "crisp/plugin", "crisp/website", "kustomer", "check:<host>", or a
	// provider alone ("crisp" for both tiers, "check" for every declarative
	// host). A key not named takes DefaultBudget (500); 0 sends nothing; a
	// negative budget is unlimited (Usage reports it as -1). Credentials past
	// it are Unknown. ParseBudgets reads the CLI's "crisp=500,kustomer=500".
	Budgets map[string]int
	// Reach looks up what a live credential reaches (Validation.Reach): the
	// workspaces a Crisp plugin token lists, paging within the budget, and a
	// Kustomer key's org, roles and expiry from its claims (no request).
	Reach bool
	// ReachMaxPages bounds the website pages read per Crisp plugin token
	// (default 10); a listing cut short is marked Partial.
	ReachMaxPages int
}

func (o *Options) defaults() {
	if o.Client == nil {
		o.Client = &http.Client{CheckRedirect: noRedirects}
	}
	if o.CrispURL == "" {
		o.CrispURL = DefaultCrispURL
	}
	o.CrispURL = strings.TrimRight(o.CrispURL, "/")
	setDefault(&o.Workers, 4)
	setDefault(&o.ReachMaxPages, 10)
	setDefault(&o.Retries, 2)
	if o.Rate <= 0 {
		o.Rate = 5
	}
	setDuration(&o.Timeout, 10*time.Second)
	setDuration(&o.MaxRetryWait, 60*time.Second)
	setDuration(&o.Backoff, 500*time.Millisecond)
	if o.UserAgent == "" {
		o.UserAgent = "scanner/dev"
	}
}

func setDefault(v *int, d int) {
	if *v <= 0 {
		*v = d
	}
}

func setDuration(v *time.Duration, d time.Duration) {
	if *v <= 0 {
		*v = d
	}
}

type checker interface {
	// check decides one credential's status; errors are Unknown, never Invalid.
	check(ctx context.Context, f *finding.Finding) finding.Validation
}

// Validator checks credentials with their providers. It is safe for
// concurrent use; each credential is checked once per Validator.
type Validator struct {
	opts     Options
	crisp    *crispChecker
	kustomer checker
	checks   map[string]checker // declarative checks by rule id
	flight   singleflight.Group
	memo     sync.Map                 // rule|fingerprint -> finding.Validation
	gates    map[string]*gate         // provider key -> budget and quota; fixed after New
	limiters map[string]*rate.Limiter // provider -> rate limit shared by its keys
}

// New builds a validator.
func New(opts Options) *Validator {
	opts.defaults()
	v := &Validator{opts: opts, checks: map[string]checker{}, gates: map[string]*gate{}, limiters: map[string]*rate.Limiter{}}
	v.crisp = &crispChecker{base: opts.CrispURL, plugin: v.requester("crisp/plugin"), website: v.requester("crisp/website"),
		userIDs: opts.CrispWebsiteIDs, reach: opts.Reach, maxPages: opts.ReachMaxPages}
	v.kustomer = &kustomerChecker{base: opts.KustomerURL, req: v.requester("kustomer"), reach: opts.Reach}
	if opts.Rules != nil {
		for _, r := range opts.Rules.Rules {
			if r.Check != nil {
				allowed := !r.Untrusted || hostAllowed(r.Check.Host(), opts.AllowedHosts)
				v.checks[r.ID] = &declarativeChecker{rule: r, req: v.requester("check:" + r.Check.Host()), allowed: allowed}
			}
		}
	}
	return v
}

// requester builds the requester of one provider key ("crisp/plugin"): its
// own gate, and the rate limiter its provider shares between keys.
func (v *Validator) requester(key string) *requester {
	provider := providerOf(key)
	lim, ok := v.limiters[provider]
	if !ok {
		lim = rate.NewLimiter(rate.Limit(v.opts.Rate), 1)
		v.limiters[provider] = lim
	}
	g, ok := v.gates[key]
	if !ok {
		g = &gate{key: key, budget: budgetFor(v.opts.Budgets, key)}
		v.gates[key] = g
	}
	return &requester{
		client: v.opts.Client, limiter: lim, timeout: v.opts.Timeout, retries: v.opts.Retries,
		maxWait: v.opts.MaxRetryWait, backoff: v.opts.Backoff, userAgent: v.opts.UserAgent, gate: g,
	}
}

// providerOf is the provider of a key: "crisp" for "crisp/plugin".
func providerOf(key string) string {
	if i := strings.IndexByte(key, '/'); i > 0 {
		return key[:i]
	}
	return key
}

// AddWebsiteIDs adds Crisp website ids found anywhere in the scanned tree
// (chatbox snippets, CRISP_WEBSITE_ID) as candidates for every website-tier
// check, after the --crisp-website-id ones and the finding's own. Ids that
// are not UUIDs are dropped. Call it before Validate.
func (v *Validator) AddWebsiteIDs(ids []string) {
	v.crisp.addTreeIDs(ids)
}

// Requests returns how many requests were sent to each provider ("crisp",
// "kustomer", "check:<host>").
func (v *Validator) Requests() map[string]int64 {
	out := map[string]int64{}
	for key, g := range v.gates {
		out[providerOf(key)] += int64(g.usage().Requests)
	}
	return out
}

// Usage returns what the run spent of each provider key's budget, for
// finding.Stats.Providers: every key that sent or refused a request
// ("crisp/plugin", "crisp/website", "kustomer", "check:<host>").
func (v *Validator) Usage() map[string]finding.ProviderUsage {
	out := map[string]finding.ProviderUsage{}
	for key, g := range v.gates {
		if u := g.usage(); u.Requests > 0 || u.Skipped > 0 || u.QuotaSpent {
			out[key] = u
		}
	}
	return out
}

// Validate sets the Validation of every finding, checking each distinct
// credential once, Workers at a time.
func (v *Validator) Validate(ctx context.Context, fs []finding.Finding) {
	sem := make(chan struct{}, v.opts.Workers)
	var wg sync.WaitGroup
	for i := range fs {
		wg.Add(1)
		sem <- struct{}{}
		go func(f *finding.Finding) {
			defer func() { <-sem; wg.Done() }()
			res := v.Check(ctx, f)
			f.Validation = &res
		}(&fs[i])
	}
	wg.Wait()
}

// Check returns the validation of one credential, from this run's memory, the
// cache, or the provider.
func (v *Validator) Check(ctx context.Context, f *finding.Finding) finding.Validation {
	key := f.RuleID + "|" + f.Fingerprint
	if r, ok := v.memo.Load(key); ok {
		return r.(finding.Validation)
	}
	r, _, _ := v.flight.Do(key, func() (any, error) {
		if r, ok := v.memo.Load(key); ok {
			return r, nil
		}
		res, ok := v.opts.Cache.get(key)
		if !ok {
			res = v.checkNow(ctx, f)
			v.opts.Cache.put(key, res)
		}
		v.opts.Log.Debug().Str("rule", f.RuleID).Str("fingerprint", f.Fingerprint).
			Str("status", string(res.Status)).Str("tier", res.Tier).Msg("validated")
		v.memo.Store(key, res)
		return res, nil
	})
	return r.(finding.Validation)
}

func (v *Validator) checkNow(ctx context.Context, f *finding.Finding) finding.Validation {
	if len(f.Parts) == 0 {
		return unknown("no raw credential to check (a report made without --show-secrets?)")
	}
	if c, ok := v.checks[f.RuleID]; ok {
		return c.check(ctx, f)
	}
	switch f.Provider {
	case "crisp":
		return v.crisp.check(ctx, f)
	case "kustomer":
		return v.kustomer.check(ctx, f)
	}
	return unknown("no live check for rule " + f.RuleID)
}
