package validate

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
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
	crisp    checker
	kustomer checker
	checks   map[string]checker // declarative checks by rule id
	flight   singleflight.Group
	memo     sync.Map // rule|fingerprint -> finding.Validation
	sent     sync.Map // provider -> *atomic.Int64
}

// New builds a validator.
func New(opts Options) *Validator {
	opts.defaults()
	v := &Validator{opts: opts, checks: map[string]checker{}}
	v.crisp = &crispChecker{base: opts.CrispURL, req: v.requester("crisp"), websiteIDs: opts.CrispWebsiteIDs}
	v.kustomer = &kustomerChecker{base: opts.KustomerURL, req: v.requester("kustomer")}
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

func (v *Validator) requester(provider string) *requester {
	n, _ := v.sent.LoadOrStore(provider, new(atomic.Int64))
	count := n.(*atomic.Int64)
	return &requester{
		client: v.opts.Client, limiter: rate.NewLimiter(rate.Limit(v.opts.Rate), 1),
		timeout: v.opts.Timeout, retries: v.opts.Retries, maxWait: v.opts.MaxRetryWait,
		backoff: v.opts.Backoff, userAgent: v.opts.UserAgent, requests: func() { count.Add(1) },
	}
}

// Requests returns how many requests were sent to each provider.
func (v *Validator) Requests() map[string]int64 {
	out := map[string]int64{}
	v.sent.Range(func(k, n any) bool {
		out[k.(string)] = n.(*atomic.Int64).Load()
		return true
	})
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
