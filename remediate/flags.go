package remediate

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
)

// errNeedsValidation refuses remediation of findings nobody validated.
var errNeedsValidation = errors.New("--remediate acts on validated findings: add --validate")

// Bind binds the remediation flags every scanning command takes into s.
func (s *Settings) Bind(fs *flag.FlagSet) {
	fs.BoolVar(&s.Enabled, "remediate", false, "remediate live credentials: rotation hooks, owner alerts, incident ledger (needs --validate)")
	fs.BoolVar(&s.Unknown, "remediate-unknown", false, "remediate credentials whose validation is unknown too")
	fs.StringVar(&s.ConfigPath, "remediate-config", "", "your remediation config (TOML: hooks, Slack, webhooks, escalate_after); never read from the scanned repository")
	fs.BoolVar(&s.DryRun, "dry-run", false, "print what would be rotated and who would be alerted, and change nothing")
	fs.BoolVar(&s.Revoke, "revoke", false, "really call revocation APIs (Kustomer DELETE /v1/auth/tokens/current); otherwise only planned")
	fs.StringVar(&s.LedgerPath, "ledger", "", "incident ledger (SQLite file; default: incidents.db in the state directory, see README)")
	fs.StringVar(&s.GitHubRepo, "github-repo", "", "OWNER/NAME for issues (default: GITHUB_REPOSITORY, else the origin remote)")
	fs.IntVar(&s.PullRequest, "github-pr", 0, "pull request `NUMBER`: also put a review comment on each leaking line in it")
}

// Asked reports whether the run remediates (--remediate or
// --remediate-unknown).
func (s Settings) Asked() bool { return s.Enabled || s.Unknown }

// CheckFlags refuses remediation flags that cannot work, before anything is
// scanned. validates says the scan validates.
func (s Settings) CheckFlags(validates bool) error {
	if s.Asked() && !validates {
		return errNeedsValidation
	}
	if s.PullRequest < 0 {
		return fmt.Errorf("--github-pr %d: want a pull request number", s.PullRequest)
	}
	return nil
}

// AfterScan remediates the findings of a finished scan when asked (see
// Asked), refusing any finding not validated. A scope without a pull
// request gets --github-pr's.
func (s Settings) AfterScan(ctx context.Context, fs []finding.Finding, at Scope, out io.Writer, log zerolog.Logger) error {
	if !s.Asked() {
		return nil
	}
	for _, f := range fs {
		if f.Validation == nil {
			return errNeedsValidation
		}
	}
	if at.PullRequest.Number == 0 {
		at.PullRequest.Number = s.PullRequest
	}
	return s.Remediate(ctx, fs, at, out, log)
}
