package detect

import (
	"fmt"
	"strings"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
)

// CheckExamples runs a rule's examples through the detector, filled from the
// fixture, and returns one error per example that does not behave: a positive
// example must yield an unsuppressed finding of the rule with the expected
// fingerprint (and tier hint and website ids, when the example names them); a
// negative one must yield no unsuppressed finding of the rule.
func (d *Detector) CheckExamples(r *rules.Rule, fx *rules.Fixture) []error {
	var errs []error
	for _, ex := range r.Examples {
		re, err := ex.Render(fx)
		if err != nil {
			errs = append(errs, fmt.Errorf("rule %s: %w", r.ID, err))
			continue
		}
		var got []finding.Finding
		for _, f := range d.Detect(finding.Chunk{ID: "example", Data: []byte(re.Text), Line: 1}) {
			if f.RuleID == r.ID && f.Suppressed == "" {
				got = append(got, f)
			}
		}
		if err := checkExample(re, got); err != nil {
			errs = append(errs, fmt.Errorf("rule %s, example %q: %w", r.ID, ex.Name, err))
		}
	}
	return errs
}

func checkExample(ex rules.RenderedExample, got []finding.Finding) error {
	if !ex.Positive() {
		if len(got) > 0 {
			return fmt.Errorf("negative example found %d credential(s), first %s at line %d", len(got), got[0].Redacted(), got[0].Line)
		}
		return nil
	}
	want := finding.Fingerprint(finding.Part{Value: finding.NewSecret(ex.Secret)})
	for _, f := range got {
		if f.Fingerprint != want {
			continue
		}
		if ex.Severity != "" && f.Severity != ex.Severity {
			return fmt.Errorf("severity %q, want %q", f.Severity, ex.Severity)
		}
		if ex.Tier != "" && f.TierHint != ex.Tier {
			return fmt.Errorf("tier hint %q, want %q", f.TierHint, ex.Tier)
		}
		for _, w := range ex.WebsiteIDs {
			if !contains(f.WebsiteIDs, w) {
				return fmt.Errorf("website ids %d found, missing one the example names", len(f.WebsiteIDs))
			}
		}
		return nil
	}
	return fmt.Errorf("positive example not found (%d other findings of the rule)", len(got))
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
