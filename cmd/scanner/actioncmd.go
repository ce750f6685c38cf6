package main

import (
	"context"
	"flag"
	"os"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/cliflag"
	"github.com/scanner-dev/scanner/ghaction"
	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/remediate"
	"github.com/scanner-dev/scanner/source"
)

// actionOptions are the flags of "scanner action", the GitHub Action's
// entry point. The action's inputs arrive as INPUT_* variables and are
// turned into the same flags (see ghaction.InputArgs).
type actionOptions struct {
	gitOptions
	files   ghaction.Files // --output-dir, --sarif-file
	comment bool
}

func (o *actionOptions) bindAction(fs *flag.FlagSet) {
	o.bindGit(fs)
	fs.StringVar(&o.files.Dir, "output-dir", "", "directory for the JSON and SARIF reports (default: $RUNNER_TEMP)")
	fs.StringVar(&o.files.SARIF, "sarif-file", "", "where to write the SARIF report (default: OUTPUT-DIR/scanner.sarif)")
	fs.BoolVar(&o.comment, "comment", false, "in pull_request runs, keep one pull-request comment with the findings")
}

// runAction scans what the workflow event names (a pull request's commits,
// a push, or the whole history), then reports it the ways a workflow shows
// (see ghaction.Step.Deliver) and remediates when asked.
func runAction(ctx context.Context, args []string, e env) (int, error) {
	var o actionOptions
	fs := cliflag.New("action", "[PATH]", e.stdout)
	o.bindAction(fs)
	in, err := ghaction.InputArgs(func(name string) bool { return fs.Lookup(name) != nil }, os.Getenv)
	if err != nil {
		return exitError, err
	}
	pos, err := cliflag.Parse(fs, append(in, args...))
	if err != nil {
		return exitError, err
	}
	step, err := ghaction.ReadEnv(os.Getenv).Start(ctx, e.stdout, ghaction.Args{Operands: pos, Range: o.want.Range != "" || o.want.Staged, ShowSecrets: o.report.ShowSecrets},
		func(path string) (ghaction.Fetcher, error) {
			return source.OpenRepo(ctx, path, source.Options{Log: zerolog.Nop()})
		})
	if err != nil {
		return exitError, err
	}
	defer step.Resume()
	job, res, err := o.scanPlan(ctx, step, e)
	if err != nil {
		return exitError, err
	}
	code := o.exitCode(res.Findings)
	if res.Stats.Incomplete {
		code = exitInterrupted
	}
	rep := res.Report(tool(), job.target)
	after := ghaction.After{Comment: o.comment, Remediates: o.remediation.Asked(),
		Remediate: func() error { return o.remediate(ctx, job, rep.Findings) }}
	if err := step.Deliver(ctx, e.stdout, rep, o.files, after); err != nil {
		return exitError, err
	}
	return code, nil
}

// scanPlan scans what the step's plan names (nothing for an empty plan).
func (o *actionOptions) scanPlan(ctx context.Context, step *ghaction.Step, e env) (scanJob, *pipeline.Result, error) {
	job, err := o.gitJob(ctx, step.Path, source.RangeSelection(step.Plan.Range()), e)
	if err != nil || step.Plan.Empty {
		return job, &pipeline.Result{}, err
	}
	job.pr = remediate.PullRequest{Number: step.Plan.PullRequest, Head: step.Plan.Head} // review comments in pull_request runs
	res, err := o.scan(ctx, job)
	if err != nil {
		return job, nil, err
	}
	job.log.Info().Str("scanned", step.Plan.Describe()).Int("findings", len(res.Findings)).Msg("action scan done")
	return job, res, nil
}
