package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/source"
)

// gitOptions are the flags of "scanner git".
type gitOptions struct {
	scanOptions
	rangeSpec string
	staged    bool
	preCommit bool
	allFiles  bool // set by hookMode: scan the whole index
}

func runGit(ctx context.Context, args []string, e env) (int, error) {
	var o gitOptions
	fs := newFlagSet("git", "[PATH]", e)
	o.bindGit(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return exitError, err
	}
	path, err := o.checkGit(pos)
	if err != nil {
		return exitError, err
	}
	res, target, log, err := o.scanGit(ctx, path, e)
	if err != nil {
		return exitError, err
	}
	code, err := finish(ctx, &o.scanOptions, target, res, e, log)
	if o.preCommit && code == exitFindings {
		fmt.Fprint(e.stderr, hookAdvice)
	}
	return code, err
}

func (o *gitOptions) bindGit(fs *flag.FlagSet) {
	o.bind(fs)
	fs.StringVar(&o.rangeSpec, "range", "", "only what the commits of BASE..HEAD added")
	fs.BoolVar(&o.staged, "staged", false, "only what is staged in the index against HEAD")
	fs.BoolVar(&o.preCommit, "pre-commit", false, "run as a pre-commit hook (see README): every tracked file when nothing is staged (pre-commit run --all-files), PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF when set, advice when blocking")
}

// checkGit checks the git command's operands and returns the repository path.
func (o *gitOptions) checkGit(pos []string) (string, error) {
	if len(pos) > 1 {
		return "", usageError{"git takes one repository path"}
	}
	if o.staged && o.rangeSpec != "" {
		return "", usageError{"--staged and --range cannot be combined"}
	}
	if len(pos) == 1 {
		return pos[0], nil
	}
	return ".", nil
}

// scanGit opens the repository, loads its triage files (from the range's
// base in range runs) and scans what the options select.
func (o *gitOptions) scanGit(ctx context.Context, path string, e env) (*scanResult, report.Target, zerolog.Logger, error) {
	target := report.Target{Kind: "git", Path: path, Range: o.rangeSpec}
	log, sopts, err := o.prepare(e.stderr)
	if err != nil {
		return nil, target, log, err
	}
	repo, err := source.OpenRepo(ctx, path, sopts)
	if err != nil {
		return nil, target, log, err
	}
	if err := o.hookMode(ctx, repo, log); err != nil {
		return nil, target, log, err
	}
	target.Range = o.rangeSpec
	var src source.Source
	switch {
	case o.staged && o.allFiles:
		src, target.Range = repo.Index(), "index"
	case o.staged:
		src, target.Range = repo.Staged(), "staged"
	case o.rangeSpec != "":
		if src, err = repo.Range(ctx, o.rangeSpec); err != nil {
			return nil, target, log, err
		}
	default:
		src = repo.History()
	}
	files := treeFiles{root: repo.Root(ctx), repo: repo}
	if o.rangeSpec != "" {
		files.rev = rangeBase(o.rangeSpec)
	}
	d, err := o.detector(ctx, files, log)
	if err != nil {
		return nil, target, log, err
	}
	res, err := scan(ctx, src, d, log)
	return res, target, log, err
}

func runDir(ctx context.Context, args []string, e env) (int, error) {
	var o scanOptions
	fs := newFlagSet("dir", "PATH", e)
	o.bind(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return exitError, err
	}
	if len(pos) != 1 {
		return exitError, usageError{"dir takes one path"}
	}
	log, sopts, err := o.prepare(e.stderr)
	if err != nil {
		return exitError, err
	}
	root := pos[0]
	if fi, err := os.Stat(root); err == nil && !fi.IsDir() {
		root = "" // one file: no tree of its own to configure the scan
	}
	d, err := o.detector(ctx, treeFiles{root: root}, log)
	if err != nil {
		return exitError, err
	}
	src, err := source.NewDir(pos[0], sopts)
	if err != nil {
		return exitError, err
	}
	res, err := scan(ctx, src, d, log)
	if err != nil {
		return exitError, err
	}
	return finish(ctx, &o, report.Target{Kind: "dir", Path: pos[0]}, res, e, log)
}

func runStdin(ctx context.Context, args []string, e env) (int, error) {
	var o scanOptions
	var name string
	fs := newFlagSet("stdin", "", e)
	o.bind(fs)
	fs.StringVar(&name, "path", "stdin", "path to report findings under")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return exitError, err
	}
	if len(pos) > 0 {
		return exitError, usageError{"stdin takes no arguments"}
	}
	log, sopts, err := o.prepare(e.stderr)
	if err != nil {
		return exitError, err
	}
	d, err := o.detector(ctx, treeFiles{}, log)
	if err != nil {
		return exitError, err
	}
	res, err := scan(ctx, source.NewReader(name, e.stdin, sopts), d, log)
	if err != nil {
		return exitError, err
	}
	return finish(ctx, &o, report.Target{Kind: "stdin", Path: name}, res, e, log)
}

func newFlagSet(name, operands string, e env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: scanner %s [flags] %s\n\nFlags:\n", name, operands)
		fs.PrintDefaults()
	}
	return fs
}

// finish validates the findings when asked, writes the report and picks the
// exit code.
func finish(ctx context.Context, o *scanOptions, target report.Target, res *scanResult, e env, log zerolog.Logger) (int, error) {
	code, rep, err := o.complete(ctx, target, res, log)
	if err != nil {
		return exitError, err
	}
	w, closeFn, err := reportWriter(o.reportPath, e.stdout)
	if err != nil {
		return exitError, err
	}
	color := o.reportPath == "" && !o.noColor && isTerminal(e.stdout)
	err = report.Write(w, o.format, rep, report.Options{ShowSecrets: o.showSecrets, Color: color})
	if cerr := closeFn(); err == nil {
		err = cerr
	}
	if err != nil {
		return exitError, fmt.Errorf("write report: %w", err)
	}
	return code, nil
}

// complete takes a scan result through triage, validation and remediation
// and returns the exit code and the report to write.
func (o *scanOptions) complete(ctx context.Context, target report.Target, res *scanResult, log zerolog.Logger) (int, *report.Report, error) {
	o.triage.applyBaseline(res)
	if err := o.validateAll(ctx, res, log); err != nil {
		return exitError, nil, err
	}
	if err := o.remediate.run(ctx, target, res, log); err != nil {
		return exitError, nil, err
	}
	res.stats.Findings = len(res.findings)
	res.stats.Suppressed = countSuppressed(res.suppressed)
	report.Sort(res.findings)
	rep := &report.Report{
		Tool: report.Tool{Name: "scanner", Version: toolVersion()}, Target: target,
		Findings: res.findings, Stats: res.stats,
	}
	return o.validate.exitCode(res.findings), rep, nil
}

// validateAll validates the reported findings and, unless the user lets
// inline comments hide live credentials, the inline-allowed ones too: those
// that answer live are reported after all.
func (o *scanOptions) validateAll(ctx context.Context, res *scanResult, log zerolog.Logger) error {
	if !o.validate.enabled {
		return nil
	}
	inline := o.triage.inlineLiveCandidates(res)
	all := append(append(make([]finding.Finding, 0, len(res.findings)+len(inline)), res.findings...), inline...)
	if err := o.validate.run(ctx, o.rules, all, log); err != nil {
		return err
	}
	res.findings = all[:len(res.findings)]
	reinstateLive(res, all[len(res.findings):])
	return nil
}

func reportWriter(path string, stdout io.Writer) (io.Writer, func() error, error) {
	if path == "" {
		return stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, fmt.Errorf("report path: %w", err)
	}
	return f, f.Close, nil
}
