package main

import (
	"context"
	_ "embed"
	"flag"
	"fmt"
	"os"

	"github.com/scanner-dev/scanner/cliflag"
	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/source"
)

// hookAdvice is printed when the pre-commit hook blocks a commit. It names
// no value: the report above it shows each credential redacted.
//
//go:embed hook_advice.txt
var hookAdvice string

// gitOptions are the flags of "scanner git".
type gitOptions struct {
	scanOptions
	want   source.Want // --range, --staged, --pre-commit, --log-opts
	source string
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
	job, err := o.gitJob(ctx, path, source.Selection{}, e)
	if err != nil {
		return exitError, err
	}
	code, err := o.scanAndDeliver(ctx, job, e)
	if o.want.PreCommit && code == exitFindings {
		fmt.Fprint(e.stderr, hookAdvice)
	}
	return code, err
}

func (o *gitOptions) bindGit(fs *flag.FlagSet) {
	o.bind(fs)
	o.want.Bind(fs)
	fs.StringVar(&o.source, "source", "", "the repository path (gitleaks' spelling of the operand)")
	fs.StringVar(&o.source, "s", "", "short for --source")
}

// checkGit checks the git command's operands and returns the repository path.
func (o *gitOptions) checkGit(pos []string) (string, error) {
	if len(pos) > 1 {
		return "", usageError{"git takes one repository path"}
	}
	return operand(pos, o.source), o.want.Check()
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

// gitJob opens the repository and picks its source. A zero sel is decided
// by the flags; the Action passes the range its event names.
func (o *gitOptions) gitJob(ctx context.Context, path string, sel source.Selection, e env) (scanJob, error) {
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
	if sel.Scope == "" {
		if sel, err = repo.Select(ctx, o.want, os.Getenv, log); err != nil {
			return job, err
		}
	}
	job.target.Range = sel.Label()
	job.tree = pipeline.Tree{Root: repo.Root(ctx), Repo: repo, Rev: sel.Base(), Log: log}
	job.src, err = repo.Selected(ctx, sel)
	return job, err
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
	job := scanJob{target: report.Target{Kind: "dir", Path: pos[0]}, stderr: e.stderr, src: src, tree: pipeline.DiskTree(pos[0], log), log: log}
	res, err := o.scan(ctx, job)
	if err != nil {
		return exitError, err
	}
	res.DisplayPaths(pos[0])
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
