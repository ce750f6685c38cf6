package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/cliflag"
	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/remediate"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/source"
)

// remediateOptions are the flags that turn on remediation of live findings.
type remediateOptions struct {
	enabled bool
	remediate.Settings
	githubPR int // pull request whose lines get review comments
}

func (o *remediateOptions) bind(fs *flag.FlagSet) {
	fs.BoolVar(&o.enabled, "remediate", false, "remediate live credentials: rotation hooks, owner alerts, incident ledger (needs --validate)")
	fs.BoolVar(&o.Unknown, "remediate-unknown", false, "remediate credentials whose validation is unknown too")
	fs.StringVar(&o.ConfigPath, "remediate-config", "", "your remediation config (TOML: hooks, Slack, webhooks, escalate_after); never read from the scanned repository")
	fs.BoolVar(&o.DryRun, "dry-run", false, "print what would be rotated and who would be alerted, and change nothing")
	fs.BoolVar(&o.Revoke, "revoke", false, "really call revocation APIs (Kustomer DELETE /v1/auth/tokens/current); otherwise only planned")
	fs.StringVar(&o.LedgerPath, "ledger", "", "incident ledger (SQLite file; default: incidents.db in the state directory, see README)")
	fs.StringVar(&o.GitHubRepo, "github-repo", "", "OWNER/NAME for issues (default: GITHUB_REPOSITORY, else the origin remote)")
	fs.IntVar(&o.githubPR, "github-pr", 0, "pull request `NUMBER`: also put a review comment on each leaking line in it")
}

// checkFlags refuses remediation flags that cannot work, before anything is
// scanned. withValidate says the scan validates.
func (o *remediateOptions) checkFlags(withValidate bool) error {
	if (o.enabled || o.Unknown) && !withValidate {
		return usageError{"--remediate acts on validated findings: add --validate"}
	}
	if o.githubPR < 0 {
		return usageError{fmt.Sprintf("--github-pr %d: want a pull request number", o.githubPR)}
	}
	return nil
}

// run remediates the findings of a finished scan when asked. Owners come
// from the CODEOWNERS of the job's tree (the base commit in range runs).
func (o *remediateOptions) run(ctx context.Context, job scanJob, fs []finding.Finding) error {
	if !o.enabled && !o.Unknown {
		return nil
	}
	for _, f := range fs {
		if f.Validation == nil {
			return usageError{"--remediate acts on validated findings: add --validate"}
		}
	}
	pr := job.pr
	if pr.Number == 0 {
		pr.Number = o.githubPR
	}
	return o.apply(ctx, job.tree, pr, fs, job.stderr, job.log) // --dry-run prints the plan on stderr
}

// apply remediates the findings of the tree (see remediate.Settings).
func (o *remediateOptions) apply(ctx context.Context, tree pipeline.Tree, pr remediate.PullRequest, fs []finding.Finding, out io.Writer, log zerolog.Logger) error {
	origin := func() string { return source.OriginURL(ctx, tree.Root) }
	return o.Remediate(ctx, fs, remediate.Scope{Tree: tree, Origin: origin, PullRequest: pr}, out, log)
}

// runRemediate remediates from a JSON report (a file or stdin), or with
// --recheck re-validates the ledger's open incidents.
func runRemediate(ctx context.Context, args []string, e env) (int, error) {
	var o scanOptions
	var recheck bool
	var repoDir string
	fs := cliflag.New("remediate", "[REPORT.json] (default: stdin)", e.stdout)
	o.bind(fs)
	fs.BoolVar(&recheck, "recheck", false, "re-validate open incidents from a --show-secrets report or credential lines; close revoked ones, escalate overdue ones")
	fs.StringVar(&repoDir, "repo", "", "the repository's work tree, for CODEOWNERS and the origin remote (default: the report's target)")
	pos, err := cliflag.Parse(fs, args)
	if err != nil {
		return exitError, err
	}
	if len(pos) > 1 {
		return exitError, usageError{"remediate takes at most one report file"}
	}
	log, _, err := o.prepare(e.stderr)
	if err != nil {
		return exitError, err
	}
	in, closeIn, err := openInput(pos, e.stdin)
	if err != nil {
		return exitError, err
	}
	defer closeIn()
	if recheck {
		return runRecheck(ctx, &o, in, e, log)
	}
	rep, err := report.ReadJSON(in)
	if err != nil {
		return exitError, err
	}
	if repoDir == "" && (rep.Target.Kind == "git" || rep.Target.Kind == "dir") {
		repoDir = rep.Target.Path
	}
	tree := pipeline.Tree{Log: log}
	if repoDir != "" {
		tree.Root = source.TopLevel(ctx, repoDir)
	}
	pr := remediate.PullRequest{Number: o.remediate.githubPR}
	if err := o.remediate.apply(ctx, tree, pr, rep.Findings, e.stdout, log); err != nil {
		return exitError, err
	}
	return exitClean, nil
}

func openInput(pos []string, stdin io.Reader) (io.Reader, func(), error) {
	if len(pos) == 0 || pos[0] == "-" {
		return stdin, func() {}, nil
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return nil, nil, fmt.Errorf("report: %w", err)
	}
	return f, func() { f.Close() }, nil
}

// runRecheck re-validates the open incidents among the credentials read
// from in. The ledger never stores a raw credential, so the caller gives
// them back: a JSON report made with --show-secrets, or credential lines.
func runRecheck(ctx context.Context, o *scanOptions, in io.Reader, e env, log zerolog.Logger) (int, error) {
	l, err := o.load(ctx, pipeline.Tree{Log: log})
	if err != nil {
		return exitError, err
	}
	creds, err := pipeline.ReadCredentials(in, l.Detector, log)
	if err != nil {
		return exitError, err
	}
	validate := func(ctx context.Context, fs []finding.Finding) error {
		return o.validate.check(ctx, l.Rules, fs, nil, log)
	}
	res, err := o.remediate.Recheck(ctx, creds, validate, e.stdout, log)
	if err != nil {
		return exitError, err
	}
	if res.Live+res.Unknown > 0 {
		return exitFindings, nil
	}
	return exitClean, nil
}
