package main

import (
	"context"

	"github.com/scanner-dev/scanner/cliflag"
	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/report"
)

// runValidate re-checks credentials given on stdin without scanning: one
// "identifier:key" or token per line, or a JSON report made with
// --show-secrets.
func runValidate(ctx context.Context, args []string, e env) (int, error) {
	var o scanOptions
	fs := cliflag.New("validate", "< credentials", e.stdout)
	o.bind(fs)
	o.validate.FailOn = "live" // a re-check fails on live (and unknown) credentials only
	fs.Lookup("fail-on").DefValue = "live"
	pos, err := cliflag.Parse(fs, args)
	if err != nil {
		return exitError, err
	}
	if len(pos) > 0 {
		return exitError, usageError{"validate reads stdin and takes no arguments"}
	}
	log, _, err := o.prepare(e.stderr)
	if err != nil {
		return exitError, err
	}
	l, err := o.load(ctx, pipeline.Tree{Log: log})
	if err != nil {
		return exitError, err
	}
	fsIn, err := pipeline.ReadCredentials(e.stdin, l.Detector, log)
	if err != nil {
		return exitError, err
	}
	res := &pipeline.Result{Findings: fsIn}
	if err := o.validate.Validate(ctx, l.Rules, fsIn, &res.Stats, toolVersion(), log); err != nil {
		return exitError, err
	}
	return o.deliver(ctx, scanJob{target: report.Target{Kind: "validate", Path: "stdin"}, log: log}, res, e)
}
