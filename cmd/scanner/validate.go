package main

import (
	"context"
	"flag"
	"time"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/cliflag"
	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
	"github.com/scanner-dev/scanner/validate"
)

// validateOptions are the flags that turn on and tune live validation.
type validateOptions struct {
	enabled bool
	validate.Settings
}

func (o *validateOptions) bind(fs *flag.FlagSet, defaultFailOn string) {
	s := &o.Settings
	fs.BoolVar(&o.enabled, "validate", false, "check each credential live with its provider")
	fs.Var((*cliflag.StringList)(&s.WebsiteIDs), "crisp-website-id", "a Crisp website id to check website tokens against (repeatable)")
	fs.Var((*cliflag.StringList)(&s.AllowHosts), "validate-allow-host", "a host that checks defined by the scanned repository's own config may reach (repeatable)")
	s.Workers = 4
	fs.Var(cliflag.PositiveInt{N: &s.Workers}, "validate-workers", "credentials checked at once (default 4)")
	fs.Float64Var(&s.Rate, "validate-rate", 5, "requests per second to each provider")
	fs.DurationVar(&s.Timeout, "validate-timeout", 10*time.Second, "timeout of each request")
	fs.StringVar(&s.CachePath, "validation-cache", "", "file that keeps validation answers across runs")
	fs.DurationVar(&s.CacheTTL, "validation-cache-ttl", 24*time.Hour, "how long a cached answer stays good")
	fs.Var((*cliflag.StringList)(&s.Budgets), "validate-budget", "most requests per provider this run, e.g. crisp=500,kustomer=500 (keys: crisp, crisp/plugin, crisp/website, kustomer, check; -1 unlimited; default 500 each): a scan never spends the owner's daily quota")
	fs.BoolVar(&s.Reach, "validate-reach", true, "for a live credential, list what it reaches (Crisp: the workspaces of a plugin token, one request per page; Kustomer: org, roles, expiry from its claims)")
	fs.IntVar(&s.ReachPages, "validate-reach-pages", 10, "most pages of workspaces to list per live Crisp plugin token")
	fs.StringVar(&s.FailOn, "fail-on", defaultFailOn, "exit 1 on: any (every finding) or live (live or unknown credentials only)")
}

// check validates fs in place (re-checks of given credentials).
func (o *validateOptions) check(ctx context.Context, set *rules.Set, fs []finding.Finding, st *finding.Stats, log zerolog.Logger) error {
	return o.Validate(ctx, set, fs, st, toolVersion(), log)
}

// exitCode maps the findings to the exit status (see --fail-on).
func (o *validateOptions) exitCode(fs []finding.Finding) int {
	if o.Fails(fs) {
		return exitFindings
	}
	return exitClean
}
