package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/cliflag"
	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
	"github.com/scanner-dev/scanner/validate"
)

// validateOptions are the flags that turn on and tune live validation.
type validateOptions struct {
	enabled       bool
	websiteIDs    cliflag.StringList
	allowHosts    cliflag.StringList
	workers       int
	rate          float64
	timeout       time.Duration
	cachePath     string
	cacheTTL      time.Duration
	failOn        string
	defaultFailOn string
	budgets       cliflag.StringList
	reach         bool
	reachPages    int
}

func (o *validateOptions) bind(fs *flag.FlagSet, defaultFailOn string) {
	o.defaultFailOn = defaultFailOn
	fs.BoolVar(&o.enabled, "validate", false, "check each credential live with its provider")
	fs.Var(&o.websiteIDs, "crisp-website-id", "a Crisp website id to check website tokens against (repeatable)")
	fs.Var(&o.allowHosts, "validate-allow-host", "a host that checks defined by the scanned repository's own config may reach (repeatable)")
	o.workers = 4
	fs.Var(cliflag.PositiveInt{N: &o.workers}, "validate-workers", "credentials checked at once (default 4)")
	fs.Float64Var(&o.rate, "validate-rate", 5, "requests per second to each provider")
	fs.DurationVar(&o.timeout, "validate-timeout", 10*time.Second, "timeout of each request")
	fs.StringVar(&o.cachePath, "validation-cache", "", "file that keeps validation answers across runs")
	fs.DurationVar(&o.cacheTTL, "validation-cache-ttl", 24*time.Hour, "how long a cached answer stays good")
	fs.Var(&o.budgets, "validate-budget", "most requests per provider this run, e.g. crisp=500,kustomer=500 (keys: crisp, crisp/plugin, crisp/website, kustomer, check; -1 unlimited; default 500 each): a scan never spends the owner's daily quota")
	fs.BoolVar(&o.reach, "validate-reach", true, "for a live credential, list what it reaches (Crisp: the workspaces of a plugin token, one request per page; Kustomer: org, roles, expiry from its claims)")
	fs.IntVar(&o.reachPages, "validate-reach-pages", 10, "most pages of workspaces to list per live Crisp plugin token")
	fs.StringVar(&o.failOn, "fail-on", defaultFailOn, "exit 1 on: any (every finding) or live (live or unknown credentials only)")
}

func (o *validateOptions) checkFlags() error {
	if _, err := validate.ParseBudgets(o.budgets.String()); err != nil {
		return usageError{"--validate-budget: " + err.Error()}
	}
	if o.reachPages < 1 {
		return usageError{"--validate-reach-pages takes a whole number of at least 1"}
	}
	if o.failOn != "any" && o.failOn != "live" {
		return usageError{fmt.Sprintf("unknown --fail-on %q (want any or live)", o.failOn)}
	}
	return nil
}

// validator is the run's validator and the cache it saves when done.
type validator struct {
	*validate.Validator
	cache *validate.Cache
}

// validator builds the validator the flags describe.
func (o *validateOptions) validator(set *rules.Set, log zerolog.Logger) (*validator, error) {
	var cache *validate.Cache
	if o.cachePath != "" {
		c, err := validate.OpenCache(o.cachePath, o.cacheTTL)
		if err != nil {
			return nil, err
		}
		cache = c
	}
	budgets, err := validate.ParseBudgets(o.budgets.String())
	if err != nil {
		return nil, usageError{"--validate-budget: " + err.Error()}
	}
	v := validate.New(validate.Options{
		CrispURL: os.Getenv("CRISP_API_URL"), KustomerURL: os.Getenv("KUSTOMER_API_URL"),
		CrispWebsiteIDs: o.websiteIDs, Workers: o.workers, Rate: o.rate, Timeout: o.timeout,
		UserAgent:    "scanner/" + toolVersion() + " (+https://github.com/scanner-dev/scanner)",
		AllowedHosts: o.allowHosts, Cache: cache, Rules: set, Log: log,
		Budgets: budgets, Reach: o.reach, ReachMaxPages: o.reachPages,
	})
	return &validator{Validator: v, cache: cache}, nil
}

// finish records what validation spent, logs it and saves the cache.
func (v *validator) finish(st *finding.Stats, n int, log zerolog.Logger) error {
	return v.Finish(v.cache, st, n, log)
}

// check validates fs in place (re-checks of given credentials).
func (o *validateOptions) check(ctx context.Context, set *rules.Set, fs []finding.Finding, st *finding.Stats, log zerolog.Logger) error {
	v, err := o.validator(set, log)
	if err != nil {
		return err
	}
	v.Validate(ctx, fs)
	return v.finish(st, len(fs), log)
}

// exitCode picks the exit status: findings fail the run, or with
// --fail-on live only live and unknown ones do.
func (o *validateOptions) exitCode(fs []finding.Finding) int {
	for _, f := range fs {
		if o.failOn == "any" || f.Validation == nil || f.Validation.Status != finding.Invalid {
			return exitFindings
		}
	}
	return exitClean
}
