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

// githubOptions are the flags of "scanner github": the sweep's bind
// straight into its sweep.Config.
type githubOptions struct {
	scanOptions
	sweep sweep.Config
}

func (o *githubOptions) bindGitHub(fs *flag.FlagSet) {
	o.bind(fs)
	c, sel := &o.sweep, &o.sweep.Selection
	fs.Var((*cliflag.StringList)(&sel.Orgs), "org", "sweep every repository of this organisation (repeatable)")
	fs.Var((*cliflag.StringList)(&sel.Users), "user", "sweep every repository this user owns (repeatable)")
	fs.Var((*cliflag.StringList)(&sel.Repos), "repo", "sweep this OWNER/NAME (repeatable)")
	fs.Var((*cliflag.StringList)(&sel.Include), "include", "only repositories whose owner/name matches this glob (repeatable, ** allowed)")
	fs.Var((*cliflag.StringList)(&sel.Exclude), "exclude", "leave out repositories whose owner/name matches this glob (repeatable)")
	fs.BoolVar(&sel.IncludeArchived, "include-archived", false, "sweep archived repositories too")
	fs.BoolVar(&sel.IncludeForks, "include-forks", false, "sweep forks too")
	fs.StringVar(&c.CacheDir, "cache-dir", "", "where the bare mirrors are kept (default: the user cache directory/scanner/mirrors)")
	fs.StringVar(&c.StatePath, "state", "", "state file: scan only commits earlier sweeps did not (JSON, created if absent)")
	fs.BoolVar(&c.Full, "full", false, "scan every commit, whatever the state file says")
	fs.Int64Var(&c.MaxKB, "max-repo-size", 0, "skip (and report) repositories larger than this many KB, as the API counts (0: no limit)")
	fs.StringVar(&c.Shard, "shard", "", "K/N: sweep only the K-th of N stable parts of the repositories (by name)")
	fs.StringVar(&c.Progress, "progress", "auto", "progress line on stderr: auto (on a terminal), always or never")
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
	cfg := o.sweep
	cfg.Workers, cfg.Version, cfg.Log = o.reading.Workers, toolVersion(), log
	cfg.APIURL, cfg.Token = os.Getenv("GITHUB_API_URL"), os.Getenv("GITHUB_TOKEN")
	cfg.Terminal, cfg.Stderr = logging.Color(e.stderr), e.stderr
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
		if err := o.validate.Validate(ctx, l.Rules, swept.Result.Findings, &swept.Result.Stats, toolVersion(), log); err != nil {
			return exitError, err
		}
	}
	target := report.SweepTarget(cfg.Selection.Orgs, cfg.Selection.Users, cfg.Selection.Repos, cfg.Selection.Shard.String())
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
