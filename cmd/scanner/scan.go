package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/logging"
	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/remediate"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/source"
)

// exitInterrupted is the exit status of a run stopped by SIGINT or SIGTERM
// (128 + SIGINT), after the findings so far were reported.
const exitInterrupted = 130

// scanJob is what one run scans and where its trusted files are. It is
// built from the options and the command's operands, never stored in them.
type scanJob struct {
	target report.Target
	src    source.Source
	tree   pipeline.Tree
	pr     remediate.PullRequest // the pull request of an Action run, for review comments
	log    zerolog.Logger
	stderr io.Writer // where --verbose prints findings as they are found
	// coverage is what a sweep did with each repository (its report's
	// repositories array).
	coverage []report.Repository
}

// load reads the rules and baselines the run uses, through the job's tree.
func (o *scanOptions) load(ctx context.Context, tree pipeline.Tree) (*pipeline.Loaded, error) {
	cfg := o.cfg
	cfg.GitleaksConfig, cfg.Log = os.Getenv("GITLEAKS_CONFIG"), tree.Log
	return pipeline.Load(ctx, tree, cfg)
}

// scan loads what the job needs and runs the pipeline over its source,
// validating when asked.
func (o *scanOptions) scan(ctx context.Context, job scanJob) (*pipeline.Result, error) {
	l, err := o.load(ctx, job.tree)
	if err != nil {
		return nil, err
	}
	in := l.Input(pipeline.Input{Source: job.src, InlineAllowLive: o.inlineAllowLive, Log: job.log})
	if o.validate.Enabled {
		v, err := o.validate.Open(l.Rules, toolVersion(), job.log)
		if err != nil {
			return nil, err
		}
		in.Validator = v
	}
	w := o.watch
	w.Out = job.stderr
	return pipeline.Scan(ctx, in, w)
}

// deliver reports a result first, then remediates: whatever fails after the
// report is written is a warning that names what failed, never a lost
// finding. It returns the exit status.
func (o *scanOptions) deliver(ctx context.Context, job scanJob, res *pipeline.Result, e env) (int, error) {
	rep := res.Report(tool(), job.target)
	rep.Repositories = job.coverage
	warn := func(m string) { job.log.Warn().Msg(m) }
	if err := o.report.Write(e.stdout, rep, logging.Color(e.stdout), warn); err != nil {
		return exitError, err
	}
	code := o.exitCode(res.Findings)
	if code == exitFindings {
		code = o.leakExit
	}
	if why, interrupted := o.watch.Incomplete(ctx, res); why != "" {
		fmt.Fprintf(e.stderr, "scanner: %s: the report holds the findings read so far (stats.incomplete)\n", why)
		if interrupted {
			return exitInterrupted, nil
		}
		return exitError, nil
	}
	if err := o.remediate(ctx, job, res.Findings); err != nil {
		job.log.Error().Err(err).Msg("remediation failed; the findings above are reported")
		if code == exitClean {
			code = exitError
		}
	}
	return code, nil
}
