package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/scanner-dev/scanner/cliflag"
	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/source"
)

// gitOptions are the flags of "scanner git".
type gitOptions struct {
	scanOptions
	rangeSpec string
	staged    bool
	preCommit bool
	logOpts   string
	source    string
}

func runGit(ctx context.Context, args []string, e env) (int, error) {
	var o gitOptions
	fs := cliflag.New("git", "[PATH]", e.stdout)
	o.bindGit(fs)
	pos, err := cliflag.Parse(fs, args)
	if err != nil {
		return exitError, err
	}
	path, err := o.checkGit(pos)
	if err != nil {
		return exitError, err
	}
	job, err := o.gitJob(ctx, path, selection{}, e)
	if err != nil {
		return exitError, err
	}
	res, err := o.scan(ctx, job)
	if err != nil {
		return exitError, err
	}
	code, err := o.deliver(ctx, job, res, e)
	if o.preCommit && code == exitFindings {
		fmt.Fprint(e.stderr, hookAdvice)
	}
	return code, err
}

func (o *gitOptions) bindGit(fs *flag.FlagSet) {
	o.bind(fs)
	fs.StringVar(&o.rangeSpec, "range", "", "only what the commits of BASE..HEAD added")
	fs.BoolVar(&o.staged, "staged", false, "only what is staged in the index against HEAD")
	fs.StringVar(&o.logOpts, "log-opts", "", "gitleaks' spelling of --range: a revision range A..B (or --all); other git log options are refused")
	fs.StringVar(&o.source, "source", "", "the repository path (gitleaks' spelling of the operand)")
	fs.StringVar(&o.source, "s", "", "short for --source")
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
	if o.logOpts != "" && (o.rangeSpec != "" || o.staged) {
		return "", usageError{"--log-opts cannot be combined with --range or --staged"}
	}
	return operand(pos, o.source), nil
}

// operand is the path a command scans: the operand, else --source, else ".".
func operand(pos []string, source string) string {
	switch {
	case len(pos) == 1:
		return pos[0]
	case source != "":
		return source
	}
	return "."
}

// selection is what part of a repository a run scans.
type selection struct {
	kind      string // history, range, staged or index
	rangeSpec string // BASE..HEAD, for range
}

// selection picks what to scan from the flags and, for a pre-commit hook,
// from how pre-commit called it (see hookSelection).
func (o *gitOptions) selection(ctx context.Context, repo *source.Repo, job scanJob) (selection, error) {
	if o.preCommit {
		return o.hookSelection(ctx, repo, job.log)
	}
	switch {
	case o.logOpts != "":
		return logOpts(o.logOpts)
	case o.staged:
		return selection{kind: "staged"}, nil
	case o.rangeSpec != "":
		return selection{kind: "range", rangeSpec: o.rangeSpec}, nil
	}
	return selection{kind: "history"}, nil
}

// gitJob opens the repository and picks its source. A zero sel is decided
// by the flags; the Action passes the range its event names.
func (o *gitOptions) gitJob(ctx context.Context, path string, sel selection, e env) (scanJob, error) {
	job := scanJob{target: report.Target{Kind: "git", Path: path}, stderr: e.stderr}
	log, sopts, err := o.prepare(e.stderr)
	if err != nil {
		return job, err
	}
	job.log = log
	repo, err := source.OpenRepo(ctx, path, sopts)
	if err != nil {
		return job, err
	}
	if sel.kind == "" {
		if sel, err = o.selection(ctx, repo, job); err != nil {
			return job, err
		}
	}
	job.tree = pipeline.Tree{Root: repo.Root(ctx), Repo: repo, Log: log}
	switch sel.kind {
	case "index":
		job.src, job.target.Range = repo.Index(), "index"
	case "staged":
		job.src, job.target.Range = repo.Staged(), "staged"
	case "range":
		job.target.Range = sel.rangeSpec
		job.tree.Rev = rangeBase(sel.rangeSpec)
		if job.src, err = repo.Range(ctx, sel.rangeSpec); err != nil {
			return job, err
		}
	default:
		job.src = repo.History()
	}
	return job, nil
}

func runDir(ctx context.Context, args []string, e env) (int, error) {
	var o scanOptions
	var srcFlag string
	fs := cliflag.New("dir", "PATH", e.stdout)
	o.bind(fs)
	fs.StringVar(&srcFlag, "source", "", "the path (gitleaks' spelling of the operand)")
	fs.StringVar(&srcFlag, "s", "", "short for --source")
	pos, err := cliflag.Parse(fs, args)
	if err != nil {
		return exitError, err
	}
	if len(pos) == 0 && srcFlag != "" {
		pos = []string{srcFlag}
	}
	if len(pos) != 1 {
		return exitError, usageError{"dir takes one path; run 'scanner dir -h'"}
	}
	log, sopts, err := o.prepare(e.stderr)
	if err != nil {
		return exitError, err
	}
	src, err := source.NewDir(pos[0], sopts)
	if err != nil {
		return exitError, err
	}
	job := scanJob{target: report.Target{Kind: "dir", Path: pos[0]}, stderr: e.stderr, src: src, tree: diskTree(pos[0], log), log: log}
	res, err := o.scan(ctx, job)
	if err != nil {
		return exitError, err
	}
	for _, fs := range [][]finding.Finding{res.Findings, res.Suppressed} {
		report.DisplayPaths(pos[0], fs)
	}
	return o.deliver(ctx, job, res, e)
}

func runStdin(ctx context.Context, args []string, e env) (int, error) {
	var o scanOptions
	var name string
	fs := cliflag.New("stdin", "", e.stdout)
	o.bind(fs)
	fs.StringVar(&name, "path", "stdin", "path to report findings under")
	pos, err := cliflag.Parse(fs, args)
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
	job := scanJob{target: report.Target{Kind: "stdin", Path: name}, stderr: e.stderr, src: source.NewReader(name, e.stdin, sopts), log: log}
	return o.scanAndDeliver(ctx, job, e)
}

// scanAndDeliver scans a job and reports (then remediates) what it found.
func (o *scanOptions) scanAndDeliver(ctx context.Context, job scanJob, e env) (int, error) {
	res, err := o.scan(ctx, job)
	if err != nil {
		return exitError, err
	}
	return o.deliver(ctx, job, res, e)
}
