package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
	"github.com/scanner-dev/scanner/validate"
)

// validateOptions are the flags that turn on and tune live validation.
type validateOptions struct {
	enabled       bool
	websiteIDs    stringList
	allowHosts    stringList
	workers       int
	rate          float64
	timeout       time.Duration
	cachePath     string
	cacheTTL      time.Duration
	failOn        string
	defaultFailOn string
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func (o *validateOptions) bind(fs *flag.FlagSet, defaultFailOn string) {
	o.defaultFailOn = defaultFailOn
	fs.BoolVar(&o.enabled, "validate", false, "check each credential live with its provider")
	fs.Var(&o.websiteIDs, "crisp-website-id", "a Crisp website id to check website tokens against (repeatable)")
	fs.Var(&o.allowHosts, "validate-allow-host", "a host that checks defined by the scanned repository's own config may reach (repeatable)")
	fs.IntVar(&o.workers, "validate-workers", 4, "credentials checked at once")
	fs.Float64Var(&o.rate, "validate-rate", 5, "requests per second to each provider")
	fs.DurationVar(&o.timeout, "validate-timeout", 10*time.Second, "timeout of each request")
	fs.StringVar(&o.cachePath, "validation-cache", "", "file that keeps validation answers across runs")
	fs.DurationVar(&o.cacheTTL, "validation-cache-ttl", 24*time.Hour, "how long a cached answer stays good")
	fs.StringVar(&o.failOn, "fail-on", defaultFailOn, "exit 1 on: any (every finding) or live (live or unknown credentials only)")
}

func (o *validateOptions) check() error {
	if o.failOn != "any" && o.failOn != "live" {
		return usageError{fmt.Sprintf("unknown --fail-on %q (want any or live)", o.failOn)}
	}
	return nil
}

// run validates the findings when --validate is set.
func (o *validateOptions) run(ctx context.Context, set *rules.Set, fs []finding.Finding, log zerolog.Logger) error {
	if !o.enabled || len(fs) == 0 {
		return nil
	}
	var cache *validate.Cache
	if o.cachePath != "" {
		c, err := validate.OpenCache(o.cachePath, o.cacheTTL)
		if err != nil {
			return err
		}
		cache = c
	}
	v := validate.New(validate.Options{
		CrispURL: os.Getenv("CRISP_API_URL"), KustomerURL: os.Getenv("KUSTOMER_API_URL"),
		CrispWebsiteIDs: o.websiteIDs, Workers: o.workers, Rate: o.rate, Timeout: o.timeout,
		UserAgent:    "scanner/" + toolVersion() + " (+https://github.com/scanner-dev/scanner)",
		AllowedHosts: o.allowHosts, Cache: cache, Rules: set, Log: log,
	})
	v.Validate(ctx, fs)
	log.Info().Interface("requests", v.Requests()).Int("credentials", len(fs)).Msg("validated")
	return cache.Save()
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
