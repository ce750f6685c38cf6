package main

import (
	"context"
	"flag"
	"os"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/cliflag"
	"github.com/scanner-dev/scanner/logging"
	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/sweep"
)

// exitRepoFailed says the sweep ran but some repository could not be
// scanned (not cloned, corrupt, too large): the report covers the others.
const exitRepoFailed = 3

// githubOptions are the flags of "scanner github".
type githubOptions struct {
	scanOptions
	orgs, users, repos cliflag.StringList
	include, exclude   cliflag.StringList
	includeArchived    bool
	includeForks       bool
	cacheDir           string
	statePath          string
	full               bool
	maxRepoSizeKB      int64
	shard              string
	progress           string
}

func (o *githubOptions) bindGitHub(fs *flag.FlagSet) {
	o.bind(fs)
	fs.Var(&o.orgs, "org", "sweep every repository of this organisation (repeatable)")
	fs.Var(&o.users, "user", "sweep every repository this user owns (repeatable)")
	fs.Var(&o.repos, "repo", "sweep this OWNER/NAME (repeatable)")
	fs.Var(&o.include, "include", "only repositories whose owner/name matches this glob (repeatable, ** allowed)")
	fs.Var(&o.exclude, "exclude", "leave out repositories whose owner/name matches this glob (repeatable)")
	fs.BoolVar(&o.includeArchived, "include-archived", false, "sweep archived repositories too")
	fs.BoolVar(&o.includeForks, "include-forks", false, "sweep forks too")
	fs.StringVar(&o.cacheDir, "cache-dir", "", "where the bare mirrors are kept (default: the user cache directory/scanner/mirrors)")
	fs.StringVar(&o.statePath, "state", "", "state file: scan only commits earlier sweeps did not (JSON, created if absent)")
	fs.BoolVar(&o.full, "full", false, "scan every commit, whatever the state file says")
	fs.Int64Var(&o.maxRepoSizeKB, "max-repo-size", 0, "skip (and report) repositories larger than this many KB, as the API counts (0: no limit)")
	fs.StringVar(&o.shard, "shard", "", "K/N: sweep only the K-th of N stable parts of the repositories (by name)")
	fs.StringVar(&o.progress, "progress", "auto", "progress line on stderr: auto (on a terminal), always or never")
}

// runGitHub sweeps the repositories of GitHub organisations, users or a
// list, into one report (see sweep.Run), then saves the state.
func runGitHub(ctx context.Context, args []string, e env) (int, error) {
	var o githubOptions
	fs := cliflag.New("github", "", e.stdout)
	o.bindGitHub(fs)
	pos, err := cliflag.Parse(fs, args)
	if err != nil {
		return exitError, err
	}
	if len(pos) > 0 {
		return exitError, usageError{"github takes no arguments (use --org, --user, --repo)"}
	}
	log, sopts, err := o.prepare(e.stderr)
	if err != nil {
		return exitError, err
	}
	cfg := sweep.Config{
		Selection: sweep.Selection{Orgs: o.orgs, Users: o.users, Repos: o.repos, Include: o.include, Exclude: o.exclude,
			IncludeArchived: o.includeArchived, IncludeForks: o.includeForks},
		Shard: o.shard, CacheDir: o.cacheDir, StatePath: o.statePath, Full: o.full, MaxKB: o.maxRepoSizeKB,
		Workers: o.reading.Workers, Version: toolVersion(), APIURL: os.Getenv("GITHUB_API_URL"), Token: os.Getenv("GITHUB_TOKEN"),
		Progress: o.progress, Terminal: logging.Color(e.stderr), Stderr: e.stderr, Log: log,
	}
	if err := cfg.Check(); err != nil {
		return exitError, usageError{err.Error()}
	}
	l, err := o.load(ctx, pipeline.Tree{Log: log}) // --config and --baseline: no repository's own configuration
	if err != nil {
		return exitError, err
	}
	cfg.Rules = l.Rules
	swept, err := sweep.Run(ctx, cfg, func(ctx context.Context, j sweep.Job, log zerolog.Logger) (*pipeline.Result, error) {
		so := sopts
		so.Log = log
		return pipeline.RunHistory(ctx, j.Mirror, j.Since, so, l.Input(pipeline.Input{Log: log}))
	})
	if err != nil {
		return exitError, err
	}
	if o.validate.Enabled && len(swept.Result.Findings) > 0 { // every repository at once: a credential leaked in several is checked once
		if err := o.check(ctx, l.Rules, swept.Result.Findings, &swept.Result.Stats, log); err != nil {
			return exitError, err
		}
	}
	target := report.SweepTarget(o.orgs, o.users, o.repos, cfg.Selection.Shard.String())
	code, err := o.deliver(ctx, scanJob{target: target, log: log, stderr: e.stderr, coverage: swept.Coverage}, swept.Result, e)
	if err != nil || code == exitInterrupted {
		return code, err
	}
	if err := swept.Save(); err != nil {
		return exitError, err
	}
	if swept.Failed > 0 {
		return exitRepoFailed, nil
	}
	return code, nil
}
