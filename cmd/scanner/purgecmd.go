package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"

	"github.com/scanner-dev/scanner/cliflag"
	"github.com/scanner-dev/scanner/detect"
	"github.com/scanner-dev/scanner/logging"
	"github.com/scanner-dev/scanner/purge"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/source"
)

// purgeOptions are the flags of "scanner purge-plan" and "scanner
// verify-purged".
type purgeOptions struct {
	repo        string
	config      string
	expressions string
	cloneDir    string
	logLevel    string
}

func (o *purgeOptions) bind(fs *flag.FlagSet, plan bool) {
	fs.StringVar(&o.repo, "repo", ".", "the repository (work tree or bare)")
	fs.StringVar(&o.config, "config", "", "the TOML configuration the report was made with, if any")
	fs.StringVar(&o.logLevel, "log-level", "warn", "log level: debug, info, warn, error")
	if plan {
		fs.StringVar(&o.expressions, "expressions", "", "where to write the filter-repo expressions file (default: "+purge.ExpressionsName+" in the repository's git directory)")
		fs.StringVar(&o.cloneDir, "clone-dir", "", "where the printed commands make the fresh clone (default: next to the repository, NAME-purge.git)")
	}
}

// purgeCommand parses the flags of purge-plan or verify-purged and opens
// what both work on: the report, the repository and the detector.
func purgeCommand(ctx context.Context, name string, args []string, e env) (*purgeOptions, []string, *report.Report, *source.Repo, *detect.Detector, error) {
	o := &purgeOptions{}
	fs := cliflag.New(name, "REPORT.json [REPOSITORY]", e.stdout)
	o.bind(fs, name == "purge-plan")
	pos, err := cliflag.Parse(fs, args)
	if err != nil {
		return nil, nil, nil, nil, nil, err
	}
	rep, repo, d, err := o.open(ctx, pos, e)
	return o, pos, rep, repo, d, err
}

// open reads the report, opens the repository and builds the detector.
func (o *purgeOptions) open(ctx context.Context, pos []string, e env) (*report.Report, *source.Repo, *detect.Detector, error) {
	if len(pos) == 2 {
		o.repo = pos[1]
	}
	if len(pos) < 1 || len(pos) > 2 {
		return nil, nil, nil, usageError{"give one JSON report (made with --report-format json), and at most one repository"}
	}
	log, err := logging.New(e.stderr, o.logLevel, "text")
	if err != nil {
		return nil, nil, nil, err
	}
	rep, err := readPurgeReport(pos[0])
	if err != nil {
		return nil, nil, nil, err
	}
	repo, err := source.OpenRepo(ctx, o.repo, source.Options{Log: log})
	if err != nil {
		return nil, nil, nil, err
	}
	if o.config != "" {
		log.Debug().Str("config", o.config).Msg("rules from the configuration")
	}
	set, err := rulesFile(o.config)
	if err != nil {
		return nil, nil, nil, err
	}
	return rep, repo, detect.New(set), nil
}

func readPurgeReport(path string) (*report.Report, error) {
	rep, err := report.ReadJSONFile(path)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return rep, nil
}

// runPurgePlan prints how to take a report's credentials out of history:
// roll first, the expressions file it writes (the raw values go there, mode
// 0600, never to the terminal), the exact git filter-repo commands, and
// what a forge still keeps.
func runPurgePlan(ctx context.Context, args []string, e env) (int, error) {
	o, pos, rep, repo, d, err := purgeCommand(ctx, "purge-plan", args, e)
	if err != nil {
		return exitError, err
	}
	plan, err := purge.NewPlan(ctx, repo, d, rep.Findings)
	if err != nil {
		return exitError, err
	}
	reportPath, _ := filepath.Abs(pos[0])
	popts := purge.PrintOptions{Report: reportPath, CloneDir: o.cloneDir, Verify: "scanner verify-purged"}
	if len(plan.Found) > 0 {
		if popts.Expressions, err = purge.ExpressionsPath(o.expressions, repo.GitDir(ctx)); err != nil {
			return exitError, err
		}
		if err := plan.WriteExpressions(popts.Expressions); err != nil {
			return exitError, err
		}
	}
	if err := plan.Print(e.stdout, popts); err != nil {
		return exitError, fmt.Errorf("write the plan: %w", err)
	}
	return exitClean, nil
}

// runVerifyPurged proves a clean-up: it scans every blob any ref reaches and
// exits 0 with "0 of N fingerprints reachable", or 1 naming where each
// credential of the report is still reachable (redacted).
func runVerifyPurged(ctx context.Context, args []string, e env) (int, error) {
	_, _, rep, repo, d, err := purgeCommand(ctx, "verify-purged", args, e)
	if err != nil {
		return exitError, err
	}
	var fps []string
	for _, t := range purge.Targets(rep.Findings) {
		fps = append(fps, t.Fingerprint)
	}
	v, err := purge.Verify(ctx, repo, d, fps)
	if err != nil {
		return exitError, err
	}
	if err := v.Print(e.stdout); err != nil {
		return exitError, fmt.Errorf("write the verdict: %w", err)
	}
	if v.ReachableFingerprints() > 0 {
		return exitFindings, nil
	}
	return exitClean, nil
}
