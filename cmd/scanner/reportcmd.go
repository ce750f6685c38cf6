package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/scanner-dev/scanner/cliflag"
	"github.com/scanner-dev/scanner/report"
)

// runReport runs "scanner report SUBCOMMAND": merge.
func runReport(ctx context.Context, args []string, e env) (int, error) {
	if _, err := cliflag.Subcommand("report", args, e.stdout, reportUsage, "merge"); err != nil {
		return exitError, err
	}
	return runReportMerge(ctx, args[1:], e)
}

// runReportMerge joins JSON reports (the shards of a sweep) into one: every
// finding once, stats summed, targets joined.
func runReportMerge(_ context.Context, args []string, e env) (int, error) {
	var s report.Settings
	fs := cliflag.New("report merge", "REPORT.json...", e.stdout)
	fs.StringVar(&s.Format, "report-format", "json", "format of the merged report: "+strings.Join(report.Formats, ", "))
	fs.StringVar(&s.Path, "report-path", "", "write the merged report to this file instead of stdout")
	fs.BoolVar(&s.ShowSecrets, "show-secrets", false, "keep raw credential values the input reports hold (redacted by default)")
	paths, err := cliflag.Parse(fs, args)
	if err != nil {
		return exitError, err
	}
	if len(paths) == 0 {
		return exitError, usageError{"report merge takes one or more JSON reports"}
	}
	if err := s.Check(); err != nil {
		return exitError, err
	}
	merged, err := report.MergeFiles(tool(), paths...)
	if err != nil {
		return exitError, fmt.Errorf("report merge: %w", err)
	}
	if err := s.Write(e.stdout, merged, false, nil); err != nil {
		return exitError, err
	}
	if len(merged.Findings) > 0 {
		return exitFindings, nil
	}
	return exitClean, nil
}
