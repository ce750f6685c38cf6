package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/scanner-dev/scanner/finding"
)

// Built-in detectors a rule can name instead of a regular expression.
var builtinDetectors = map[string]bool{
	"crisp":      true, // Crisp REST API token pairs, in every form
	"kustomer":   true, // Kustomer API keys (HS256 JWT)
	"basic-auth": true, // Authorization: Basic credentials
	"bearer":     true, // Authorization: Bearer tokens
}

// Rule describes one kind of credential.
type Rule struct {
	ID          string           `toml:"id"`
	Provider    string           `toml:"provider"`
	Description string           `toml:"description"`
	Severity    finding.Severity `toml:"severity"`
	// Detector names a built-in detector; empty means Regex is used.
	Detector string `toml:"detector"`
	// Regex finds the credential; with Parts, its named groups are the parts,
	// otherwise group SecretGroup (default: 1 if the regex has groups, else 0).
	Regex       string  `toml:"regex"`
	SecretGroup int     `toml:"secretGroup"`
	Entropy     float64 `toml:"entropy"` // minimum Shannon entropy of each part, bits per byte
	// Keywords gate the rule: it runs only on content holding one of them
	// (case-insensitive). A rule without keywords runs on everything.
	Keywords []string `toml:"keywords"`
	// Parts names the captured parts, in fingerprint order.
	Parts []string `toml:"parts"`
	// Generic rules yield to provider rules: a generic finding whose span
	// overlaps a finding of a non-generic rule is dropped.
	Generic    bool        `toml:"generic"`
	Allowlists []Allowlist `toml:"allowlists"`
	Examples   []Example   `toml:"examples"`
	// Check is an optional declarative live check (see Check).
	Check *Check `toml:"check"`
	// Origin is the file the rule came from (set by the loader).
	Origin string `toml:"-"`
	// Untrusted marks a rule from a configuration the scanned repository
	// itself holds: its Check may only reach hosts the user allows.
	Untrusted bool `toml:"-"`

	re *regexp.Regexp
}

// Example is a positive or negative sample of a rule, as a template (see
// Fixture). A positive example names the credential it must yield in Secret:
// the parts' raw values joined by ":", whose fingerprint the finding must have.
type Example struct {
	Name   string `toml:"name"`
	Text   string `toml:"text"`
	Secret string `toml:"secret"` // empty: negative example, the rule must find nothing
	Tier   string `toml:"tier"`   // expected tier hint of a positive example
	// Severity is the expected severity of a positive example's finding, when
	// it differs from the rule's.
	Severity finding.Severity `toml:"severity"`
	// WebsiteIDs lists website ids the finding must record.
	WebsiteIDs []string `toml:"website_ids"`
}

// Positive reports whether the example must yield a finding.
func (e Example) Positive() bool { return e.Secret != "" }

// Compiled returns the rule's regular expression (nil for built-in detectors).
func (r *Rule) Compiled() *regexp.Regexp { return r.re }

// check validates the rule and compiles what it needs.
func (r *Rule) check() error {
	if r.ID == "" {
		return fmt.Errorf("rule without id")
	}
	if r.Severity == "" {
		r.Severity = finding.Medium
	}
	if r.Severity.Rank() == 0 {
		return fmt.Errorf("rule %s: unknown severity %q (info, low, medium, high, critical)", r.ID, r.Severity)
	}
	if r.Provider == "" {
		r.Provider = "generic"
	}
	for i, k := range r.Keywords {
		if strings.TrimSpace(k) == "" {
			return fmt.Errorf("rule %s: empty keyword", r.ID)
		}
		r.Keywords[i] = strings.ToLower(k)
	}
	if err := r.checkMatcher(); err != nil {
		return fmt.Errorf("rule %s: %w", r.ID, err)
	}
	if r.Check != nil {
		if err := r.Check.compile(); err != nil {
			return fmt.Errorf("rule %s: %w", r.ID, err)
		}
	}
	for i := range r.Allowlists {
		if err := r.Allowlists[i].compile(); err != nil {
			return fmt.Errorf("rule %s: allowlist %d: %w", r.ID, i+1, err)
		}
	}
	return nil
}

func (r *Rule) checkMatcher() error {
	switch {
	case r.Detector != "" && r.Regex != "":
		return fmt.Errorf("set either detector or regex, not both")
	case r.Detector != "":
		if !builtinDetectors[r.Detector] {
			return fmt.Errorf("unknown detector %q", r.Detector)
		}
		return nil
	case r.Regex == "":
		return fmt.Errorf("needs a regex or a detector")
	}
	re, err := regexp.Compile(r.Regex)
	if err != nil {
		return fmt.Errorf("regex: %w", err)
	}
	r.re = re
	for _, p := range r.Parts {
		if re.SubexpIndex(p) < 0 {
			return fmt.Errorf("part %q is not a named group of the regex", p)
		}
	}
	if len(r.Parts) == 0 {
		if r.SecretGroup == 0 && re.NumSubexp() > 0 {
			r.SecretGroup = 1
		}
		if r.SecretGroup > re.NumSubexp() {
			return fmt.Errorf("secretGroup %d but the regex has %d groups", r.SecretGroup, re.NumSubexp())
		}
	}
	return nil
}
