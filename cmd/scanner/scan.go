package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/detect"
	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/progress"
	"github.com/scanner-dev/scanner/remediate"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/rules"
	"github.com/scanner-dev/scanner/scanconfig"
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

// loaded is the state a run loads before it scans: the rules in force (the
// user's --config, else the tree's own, else a gitleaks configuration), the
// detector, the baselines and the triage a gitleaks configuration adds.
type loaded struct {
	rules     *rules.Set
	detector  *detect.Detector
	baselines []pipeline.Baseline
	triagers  []pipeline.Triager
}

// load reads the rules and baselines the run uses, through the job's tree.
func (o *scanOptions) load(ctx context.Context, tree pipeline.Tree) (*loaded, error) {
	c, err := scanconfig.Load(ctx, tree, scanconfig.Options{
		Config: o.config, GitleaksConfig: os.Getenv("GITLEAKS_CONFIG"), Baseline: o.triage.baselinePath,
		NoBaseline: o.triage.noBaseline, EnableRules: o.compat.enableRules, Log: tree.Log,
	})
	if err != nil {
		return nil, err
	}
	l := &loaded{rules: c.Rules, detector: detect.New(c.Rules)}
	if c.Gitleaks != nil {
		l.triagers = append(l.triagers, c.Gitleaks)
	}
	for _, b := range c.Baselines {
		l.baselines = append(l.baselines, b)
	}
	return l, nil
}

// scan loads what the job needs and runs the pipeline over its source,
// validating when asked.
func (o *scanOptions) scan(ctx context.Context, job scanJob) (*pipeline.Result, error) {
	l, err := o.load(ctx, job.tree)
	if err != nil {
		return nil, err
	}
	in := pipeline.Input{
		Source: job.src, Detector: l.detector, Baselines: l.baselines, Triagers: l.triagers,
		InlineAllowLive: o.triage.inlineAllowLive, Log: job.log,
	}
	var counter progress.Counter
	meter := progress.Start(job.stderr, counter.Counts, progress.Options{Disabled: o.noProgress})
	defer meter.Stop()
	if meter != nil { // count chunks only when a terminal shows them
		in.OnChunk = func(c finding.Chunk) {
			blobs := int64(0)
			if c.Offset == 0 {
				blobs = 1
			}
			counter.Add(blobs, int64(len(c.Data)))
		}
	}
	if o.compat.verbose {
		in.Found = func(f finding.Finding) { fmt.Fprintln(job.stderr, "found:", describe(f)) }
	}
	if o.compat.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.compat.timeout)
		defer cancel()
	}
	var v *validator
	if o.validate.enabled {
		if v, err = o.validate.validator(l.rules, job.log); err != nil {
			return nil, err
		}
		in.Validator = v
	}
	if o.explain {
		l.detector.SetExplain(job.stderr)
		in.PlaceSuppressed = true
	}
	res, err := pipeline.Run(ctx, in)
	if err != nil {
		return nil, err
	}
	if o.explain {
		for _, f := range res.Suppressed {
			fmt.Fprintf(job.stderr, "suppressed (%s): %s\n", f.Suppressed, describe(f))
		}
	}
	if v != nil {
		if err := v.finish(&res.Stats, len(res.Findings), job.log); err != nil {
			job.log.Warn().Err(err).Msg("validation cache not saved")
			res.Stats.Warnings++
		}
	}
	return res, nil
}

// newReport turns a result into the report of the run.
func newReport(target report.Target, res *pipeline.Result) *report.Report {
	res.Count()
	report.Sort(res.Findings)
	return &report.Report{
		Tool: report.Tool{Name: "scanner", Version: toolVersion()}, Target: target,
		Findings: res.Findings, Stats: res.Stats,
	}
}

// deliver reports a result first, then remediates: whatever fails after the
// report is written is a warning that names what failed, never a lost
// finding. It returns the exit status.
func (o *scanOptions) deliver(ctx context.Context, job scanJob, res *pipeline.Result, e env) (int, error) {
	rep := newReport(job.target, res)
	rep.Repositories = job.coverage
	if err := o.writeReport(rep, e, job.log); err != nil {
		return exitError, err
	}
	code := o.compat.exitFor(o.validate.exitCode(res.Findings))
	if res.Stats.Incomplete {
		if ctx.Err() == nil { // not interrupted: --timeout ran out
			fmt.Fprintf(e.stderr, "scanner: timed out after %s: the report holds the findings read so far (stats.incomplete)\n", o.compat.timeout)
			return exitError, nil
		}
		fmt.Fprintln(e.stderr, "scanner: interrupted: the report holds the findings read so far (stats.incomplete)")
		return exitInterrupted, nil
	}
	if err := o.remediate.run(ctx, job, res.Findings); err != nil {
		job.log.Error().Err(err).Msg("remediation failed; the findings above are reported")
		if code == exitClean {
			code = exitError
		}
	}
	return code, nil
}

// writeReport writes the report in the format and to the place asked.
func (o *scanOptions) writeReport(rep *report.Report, e env, log zerolog.Logger) error {
	color := o.reportPath == "" && !o.noColor && isTerminal(e.stdout)
	warn := func(m string) { log.Warn().Msg(m) }
	return report.WriteTo(o.reportPath, e.stdout, o.format, rep, report.Options{ShowSecrets: o.showSecrets, Color: color, Warn: warn})
}

// diskTree is the tree of a directory scanned from disk.
func diskTree(root string, log zerolog.Logger) pipeline.Tree {
	if fi, err := os.Stat(root); err == nil && !fi.IsDir() {
		root = "" // one file: no tree of its own to configure the scan
	}
	return pipeline.Tree{Root: root, Log: log}
}

// describe is the one-line, redacted form of a finding for --verbose.
func describe(f finding.Finding) string {
	where := f.Path
	if f.Line > 0 {
		where = fmt.Sprintf("%s:%d", f.Path, f.Line)
	}
	s := fmt.Sprintf("%s %s %s", f.RuleID, finding.Printable(where), f.Redacted())
	if f.Commit != "" {
		s += " " + f.Commit
	}
	return s
}
