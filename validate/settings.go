package validate

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
)

// Settings are a run's validation flags as the user gave them.
type Settings struct {
	Enabled    bool          // --validate: check each credential live
	WebsiteIDs []string      // --crisp-website-id
	AllowHosts []string      // --validate-allow-host
	Workers    int           // --validate-workers
	Rate       float64       // --validate-rate
	Timeout    time.Duration // --validate-timeout
	CachePath  string        // --validation-cache ("" none)
	CacheTTL   time.Duration // --validation-cache-ttl
	Budgets    []string      // --validate-budget values, each as ParseBudgets reads it
	Reach      bool          // --validate-reach
	ReachPages int           // --validate-reach-pages
	// FailOn is which findings fail the run: "any", or "live" (live and
	// unknown credentials only).
	FailOn string
}

// Check refuses settings that cannot work, before anything is scanned.
func (s Settings) Check() error {
	if s.Rate <= 0 {
		return fmt.Errorf("--validate-rate takes a positive number of requests per second")
	}
	if _, err := ParseBudgets(strings.Join(s.Budgets, ",")); err != nil {
		return fmt.Errorf("--validate-budget: %w", err)
	}
	if s.ReachPages < 1 {
		return fmt.Errorf("--validate-reach-pages takes a whole number of at least 1")
	}
	if s.FailOn != "any" && s.FailOn != "live" {
		return fmt.Errorf("unknown --fail-on %q (want any or live)", s.FailOn)
	}
	return nil
}

// Fails reports whether fs fail the run: any finding does, or with FailOn
// "live" only a credential not known to be invalid does.
func (s Settings) Fails(fs []finding.Finding) bool {
	for _, f := range fs {
		if s.FailOn == "any" || f.Validation == nil || f.Validation.Status != finding.Invalid {
			return true
		}
	}
	return false
}

// Session is the validator of one run and the cache it saves when done.
type Session struct {
	*Validator
	cache *Cache
	log   zerolog.Logger
}

// Open builds the validator the settings describe, for the rules in force
// (their declarative checks), with the cache opened. The providers' base
// URLs may be overridden with CRISP_API_URL and KUSTOMER_API_URL; version
// goes into the User-Agent.
func (s Settings) Open(set *rules.Set, version string, log zerolog.Logger) (*Session, error) {
	budgets, err := ParseBudgets(strings.Join(s.Budgets, ","))
	if err != nil {
		return nil, fmt.Errorf("--validate-budget: %w", err)
	}
	var cache *Cache
	if s.CachePath != "" {
		if cache, err = OpenCache(s.CachePath, s.CacheTTL); err != nil {
			return nil, err
		}
	}
	v := New(Options{
		CrispURL: os.Getenv("CRISP_API_URL"), KustomerURL: os.Getenv("KUSTOMER_API_URL"),
		CrispWebsiteIDs: s.WebsiteIDs, Workers: s.Workers, Rate: s.Rate, Timeout: s.Timeout,
		UserAgent:    "scanner/" + version + " (+https://github.com/scanner-dev/scanner)",
		AllowedHosts: s.AllowHosts, Cache: cache, Rules: set, Log: log,
		Budgets: budgets, Reach: s.Reach, ReachMaxPages: s.ReachPages,
	})
	return &Session{Validator: v, cache: cache, log: log}, nil
}

// Done ends the session's validation of n credentials (see
// Validator.Finish): it records what was spent in st and saves the cache.
func (s *Session) Done(st *finding.Stats, n int) error {
	return s.Finish(s.cache, st, n, s.log)
}

// Validate validates given credentials in place (no scan: the validate
// command, the remediate --recheck, a sweep's findings at once) and ends
// the session, recording what was spent in st (nil: nowhere).
func (s Settings) Validate(ctx context.Context, set *rules.Set, fs []finding.Finding, st *finding.Stats, version string, log zerolog.Logger) error {
	v, err := s.Open(set, version, log)
	if err != nil {
		return err
	}
	v.Validate(ctx, fs)
	return v.Done(st, len(fs))
}
