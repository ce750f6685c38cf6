package main

import (
	"context"
	"fmt"
	"io"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/cliflag"
	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/remediate"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/source"
)

// remediate remediates the findings of a finished scan when asked (see
// remediate.Settings.AfterScan). Owners come from the CODEOWNERS of the
// job's tree (the base commit in range runs); --dry-run prints the plan on
// stderr.
func (o *scanOptions) remediate(ctx context.Context, job scanJob, fs []finding.Finding) error {
	return o.remediation.AfterScan(ctx, fs, scope(ctx, job.tree, job.pr), job.stderr, job.log)
}

// scope is what remediation knows of the scanned tree.
func scope(ctx context.Context, tree pipeline.Tree, pr remediate.PullRequest) remediate.Scope {
	origin := func() string { return source.OriginURL(ctx, tree.Root) }
	return remediate.Scope{Tree: tree, Origin: origin, PullRequest: pr}
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
	in, err := cliflag.Input(pos, e.stdin)
	if err != nil {
		return exitError, fmt.Errorf("report: %w", err)
	}
	defer in.Close()
	if recheck {
		return runRecheck(ctx, &o, in, e, log)
	}
	rep, err := report.ReadJSON(in)
	if err != nil {
		return exitError, err
	}
	if repoDir == "" {
		repoDir = rep.Target.WorkTree()
	}
	tree := pipeline.Tree{Log: log}
	if repoDir != "" {
		tree.Root = source.TopLevel(ctx, repoDir)
	}
	at := scope(ctx, tree, remediate.PullRequest{Number: o.remediation.PullRequest})
	if err := o.remediation.Remediate(ctx, rep.Findings, at, e.stdout, log); err != nil {
		return exitError, err
	}
	return exitClean, nil
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
		return o.validate.Validate(ctx, l.Rules, fs, nil, toolVersion(), log)
	}
	res, err := o.remediation.Recheck(ctx, creds, validate, e.stdout, log)
	if err != nil {
		return exitError, err
	}
	if res.Live+res.Unknown > 0 {
		return exitFindings, nil
	}
	return exitClean, nil
}
