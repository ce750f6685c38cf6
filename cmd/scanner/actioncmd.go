package main

import (
	"context"
	"flag"
	"os"

	"github.com/google/go-github/v62/github"
	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/cliflag"
	"github.com/scanner-dev/scanner/ghaction"
	"github.com/scanner-dev/scanner/ghapi"
	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/remediate"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/source"
)

// actionOptions are the flags of "scanner action", the GitHub Action's
// entry point. The action's inputs arrive as INPUT_* variables and are
// turned into the same flags (see inputArgs).
type actionOptions struct {
	gitOptions
	outputDir string
	sarifFile string
	comment   bool
}

func (o *actionOptions) bindAction(fs *flag.FlagSet) {
	o.bindGit(fs)
	fs.StringVar(&o.outputDir, "output-dir", "", "directory for the JSON and SARIF reports (default: $RUNNER_TEMP)")
	fs.StringVar(&o.sarifFile, "sarif-file", "", "where to write the SARIF report (default: OUTPUT-DIR/scanner.sarif)")
	fs.BoolVar(&o.comment, "comment", false, "in pull_request runs, keep one pull-request comment with the findings")
}

// runAction scans what the workflow event names (a pull request's commits,
// a push, or the whole history), then reports it the ways a workflow shows:
// annotations, step summary, outputs, JSON and SARIF files and, when asked,
// one pull-request comment.
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
	ae := ghaction.ReadEnv(os.Getenv)
	path, err := o.checkAction(pos, ae)
	if err != nil {
		return exitError, err
	}
	plan, err := ae.ReadPlan()
	if err != nil {
		return exitError, err
	}
	// from here on, logs and the text report hold names the repository
	// chose: no line of theirs may be read as a workflow command
	resume, err := ghaction.StopCommands(e.stdout)
	if err != nil {
		return exitError, err
	}
	defer resume()
	repo, err := source.OpenRepo(ctx, path, source.Options{Log: zerolog.Nop()})
	if err != nil {
		return exitError, err
	}
	if plan, err = ghaction.Prepare(ctx, repo, plan); err != nil {
		return exitError, err
	}
	job, res, err := o.scanPlan(ctx, path, plan, e)
	if err != nil {
		return exitError, err
	}
	rep := newReport(job.target, res)
	code := o.validate.exitCode(res.Findings)
	if res.Stats.Incomplete {
		code = exitInterrupted
	}
	// report first: whatever fails after this is a warning, never a lost finding
	if err := ae.Publish(e.stdout, plan, rep, ghaction.Files{Dir: o.outputDir, SARIF: o.sarifFile}, resume); err != nil {
		return exitError, err
	}
	if !res.Stats.Incomplete {
		o.afterReport(ctx, ae, plan, job, rep, e)
	}
	return code, nil
}

// checkAction checks the operands and returns the repository path.
func (o *actionOptions) checkAction(pos []string, ae ghaction.Env) (string, error) {
	switch {
	case len(pos) > 1:
		return "", usageError{"action takes one repository path"}
	case o.rangeSpec != "" || o.staged:
		return "", usageError{"action picks the range from the workflow event: --range and --staged do not apply"}
	case o.showSecrets:
		return "", usageError{"action never writes raw credentials: --show-secrets does not apply"}
	case len(pos) == 1:
		return pos[0], nil
	case ae.Workspace != "":
		return ae.Workspace, nil
	}
	return ".", nil
}

// scanPlan scans what the plan names and returns the job and its result.
func (o *actionOptions) scanPlan(ctx context.Context, path string, plan ghaction.Plan, e env) (scanJob, *pipeline.Result, error) {
	if plan.Empty {
		log, _, err := o.prepare(e.stderr)
		job := scanJob{target: report.Target{Kind: "git", Path: path}, log: log}
		return job, &pipeline.Result{}, err
	}
	job, err := o.gitJob(ctx, path, source.RangeSelection(plan.Range()), e)
	if err != nil {
		return job, nil, err
	}
	job.pr = remediate.PullRequest{Number: plan.PullRequest, Head: plan.Head} // review comments in pull_request runs
	res, err := o.scan(ctx, job)
	if err != nil {
		return job, nil, err
	}
	job.log.Info().Str("scanned", plan.Describe()).Int("findings", len(res.Findings)).Msg("action scan done")
	return job, res, nil
}

// afterReport remediates and comments once the findings are reported. Each
// failure is a warning in the log and the step summary, and the
// remediation output says whether remediation ran, failed or was skipped.
func (o *actionOptions) afterReport(ctx context.Context, ae ghaction.Env, plan ghaction.Plan, job scanJob, rep *report.Report, e env) {
	var remediate, comment func() error
	if o.remediate.enabled || o.remediate.Unknown {
		remediate = func() error { return o.remediate.run(ctx, job, rep.Findings) }
	}
	if o.comment && plan.PullRequest > 0 {
		comment = func() error { return postComment(ctx, ae, plan, rep) }
	}
	ae.AfterReport(e.stdout, remediate, comment)
}

// postComment keeps the pull request's scanner comment up to date. A
// failure (a fork's read-only token, say) is the caller's warning: the
// scan's result stands and is shown the other ways.
func postComment(ctx context.Context, ae ghaction.Env, plan ghaction.Plan, rep *report.Report) error {
	return ae.PostComment(ctx, func() (*github.Client, error) {
		return ghapi.New(ghapi.Options{BaseURL: ae.APIURL, Token: ae.Token})
	}, plan, rep)
}
