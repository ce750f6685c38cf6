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
	"github.com/scanner-dev/scanner/rules"
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
	rules.Prefetch() // parsed while git answers the first questions
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
	cliflag.Source(fs, &o.source, "the repository path")
}

// checkGit checks the git command's operands and returns the repository path.
func (o *gitOptions) checkGit(pos []string) (string, error) {
	if len(pos) > 1 {
		return "", usageError{"git takes one repository path"}
	}
	return cliflag.Operand(pos, o.source, "."), o.want.Check()
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
	if sel, job.src, err = repo.Pick(ctx, sel, o.want, os.Getenv, log); err != nil {
		return job, err
	}
	job.target.Range = sel.Label()
	job.tree = pipeline.Tree{Root: repo.Root(ctx), Repo: repo, Rev: sel.Base(), Log: log}
	return job, nil
}

func runDir(ctx context.Context, args []string, e env) (int, error) {
	var o scanOptions
	var srcFlag string
	fs := cliflag.New("dir", "PATH", e.stdout)
	o.bind(fs)
	cliflag.Source(fs, &srcFlag, "the path")
	pos, err := cliflag.Parse(fs, args)
	if err != nil {
		return exitError, err
	}
	if len(pos) > 1 || len(pos) == 0 && srcFlag == "" {
		return exitError, usageError{"dir takes one path; run 'scanner dir -h'"}
	}
	path := cliflag.Operand(pos, srcFlag, "")
	log, sopts, err := o.prepare(e.stderr)
	if err != nil {
		return exitError, err
	}
	src, err := source.NewDir(path, sopts)
	if err != nil {
		return exitError, err
	}
	job := scanJob{target: report.Target{Kind: "dir", Path: path}, stderr: e.stderr, src: src, tree: pipeline.DiskTree(path, log), log: log}
	res, err := o.scan(ctx, job)
	if err != nil {
		return exitError, err
	}
	res.DisplayPaths(path)
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
