package validate

import (
	"flag"
	"time"

	"github.com/scanner-dev/scanner/cliflag"
)

// Bind binds the validation flags every scanning command takes into s, with
// their defaults; defaultFailOn is the command's --fail-on default.
func (s *Settings) Bind(fs *flag.FlagSet, defaultFailOn string) {
	fs.BoolVar(&s.Enabled, "validate", false, "check each credential live with its provider")
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
