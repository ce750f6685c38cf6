package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/report"
)

// runReport runs "scanner report SUBCOMMAND": merge.
func runReport(ctx context.Context, args []string, e env) (int, error) {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprint(e.stdout, reportUsage)
		return exitClean, nil
	}
	if len(args) == 0 || args[0] != "merge" {
		return exitError, usageError{"report takes a subcommand: merge; run 'scanner report -h'"}
	}
	return runReportMerge(ctx, args[1:], e)
}

// runReportMerge joins JSON reports (the shards of a sweep) into one: every
// finding once, stats summed, targets joined.
func runReportMerge(_ context.Context, args []string, e env) (int, error) {
	var format, out string
	var show bool
	fs := newFlagSet("report merge", "REPORT.json...", e)
	fs.StringVar(&format, "report-format", "json", "format of the merged report: json, sarif or text")
	fs.StringVar(&out, "report-path", "", "write the merged report to this file instead of stdout")
	fs.BoolVar(&show, "show-secrets", false, "keep raw credential values the input reports hold (redacted by default)")
	paths, err := parseArgs(fs, args)
	if err != nil {
		return exitError, err
	}
	if len(paths) == 0 {
		return exitError, usageError{"report merge takes one or more JSON reports"}
	}
	if !validFormat(format) {
		return exitError, usageError{fmt.Sprintf("unknown --report-format %q (want text, json or sarif)", format)}
	}
	reps := make([]*report.Report, 0, len(paths))
	for _, p := range paths {
		rep, err := readReportFile(p)
		if err != nil {
			return exitError, err
		}
		reps = append(reps, rep)
	}
	merged := mergeReports(reps)
	w, closeFn, err := reportWriter(out, e.stdout)
	if err != nil {
		return exitError, err
	}
	err = report.Write(w, format, merged, report.Options{ShowSecrets: show})
	if cerr := closeFn(); err == nil {
		err = cerr
	}
	if err != nil {
		return exitError, fmt.Errorf("write report: %w", err)
	}
	if len(merged.Findings) > 0 {
		return exitFindings, nil
	}
	return exitClean, nil
}

func readReportFile(path string) (*report.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("report merge: %w", err)
	}
	defer f.Close()
	rep, err := report.ReadJSON(f)
	if err != nil {
		return nil, fmt.Errorf("report merge: %s: %w", path, err)
	}
	return rep, nil
}

// mergeReports keeps each finding once (by repository, fingerprint, path,
// commit and line), sums the stats and joins the targets.
func mergeReports(reps []*report.Report) *report.Report {
	out := &report.Report{Tool: report.Tool{Name: "scanner", Version: toolVersion()},
		Stats: finding.Stats{Suppressed: map[string]int{}}}
	type key struct {
		repo, fp, path, commit string
		line                   int
	}
	seen := map[key]bool{}
	var kinds, targets, ranges []string
	for _, r := range reps {
		kinds = appendNew(kinds, r.Target.Kind)
		targets = appendNew(targets, r.Target.Path)
		ranges = appendNew(ranges, r.Target.Range)
		for _, f := range r.Findings {
			k := key{f.Repository, f.Fingerprint, f.Path, f.Commit, f.Line}
			if !seen[k] {
				seen[k] = true
				out.Findings = append(out.Findings, f)
			}
		}
		out.Stats.Add(r.Stats)
	}
	sort.Strings(ranges)
	out.Target = report.Target{Kind: strings.Join(kinds, ","), Path: strings.Join(targets, ","), Range: strings.Join(ranges, ",")}
	report.Sort(out.Findings)
	out.Stats.Findings = len(out.Findings)
	return out
}

func appendNew(list []string, v string) []string {
	if v == "" {
		return list
	}
	for _, s := range list {
		if s == v {
			return list
		}
	}
	return append(list, v)
}
