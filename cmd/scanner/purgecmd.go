package main

import (
	"context"

	"github.com/scanner-dev/scanner/cliflag"
	"github.com/scanner-dev/scanner/logging"
	"github.com/scanner-dev/scanner/purge"
)

// purgeOptions are the flags of "scanner purge-plan" and "scanner
// verify-purged".
type purgeOptions struct {
	purge.Settings
	logLevel string
}

// runPurgePlan is "scanner purge-plan": see purge.Job.Plan.
func runPurgePlan(ctx context.Context, args []string, e env) (int, error) {
	return runPurge(ctx, "purge-plan", args, e)
}

// runVerifyPurged is "scanner verify-purged": exit 1 while a ref still
// reaches a credential of the report (see purge.Job.Verify).
func runVerifyPurged(ctx context.Context, args []string, e env) (int, error) {
	return runPurge(ctx, "verify-purged", args, e)
}

// runPurge parses the flags of purge-plan or verify-purged, opens what both
// work on (the report, the repository, the detector) and plans or verifies.
func runPurge(ctx context.Context, name string, args []string, e env) (int, error) {
	o, plan := &purgeOptions{}, name == "purge-plan"
	fs := cliflag.New(name, "REPORT.json [REPOSITORY]", e.stdout)
	o.Bind(fs, plan)
	fs.StringVar(&o.logLevel, "log-level", "warn", "log level: debug, info, warn, error")
	pos, err := cliflag.Parse(fs, args)
	if err != nil {
		return exitError, err
	}
	if len(pos) < 1 || len(pos) > 2 {
		return exitError, usageError{"give one JSON report (made with --report-format json), and at most one repository"}
	}
	if len(pos) == 2 {
		o.Repo = pos[1]
	}
	log, err := logging.New(e.stderr, o.logLevel, "text")
	if err != nil {
		return exitError, err
	}
	job, err := purge.Open(ctx, pos[0], o.Repo, o.Config, log)
	reachable := 0
	if err == nil && plan {
		err = job.Plan(ctx, e.stdout, o.Print)
	} else if err == nil {
		reachable, err = job.Verify(ctx, e.stdout)
	}
	switch {
	case err != nil:
		return exitError, err
	case reachable > 0:
		return exitFindings, nil
	}
	return exitClean, nil
}
