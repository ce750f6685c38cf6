package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/cliflag"
	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/logging"
	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/progress"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/source"
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
// list, into one report.
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
	sel, err := o.selection()
	if err != nil {
		return exitError, err
	}
	s, err := o.sweeper(ctx, sopts, log, e)
	if err != nil {
		return exitError, err
	}
	repos, err := o.list(ctx, sel, log)
	if err != nil {
		return exitError, err
	}
	log.Info().Int("repositories", len(repos)).Str("shard", sel.Shard.String()).Msg("listed")
	outs := s.Run(ctx, repos)
	s.bar.Finish()
	res, coverage, failed := s.merge(outs)
	if err := o.validateSwept(ctx, s.loaded, res, log); err != nil {
		return exitError, err
	}
	job := scanJob{target: o.target(sel), log: log, stderr: e.stderr, coverage: coverage}
	code, err := o.deliver(ctx, job, res, e)
	if err != nil || code == exitInterrupted {
		return code, err
	}
	if o.statePath != "" {
		s.Record(outs)
		if err := s.State.Save(o.statePath); err != nil {
			return exitError, err
		}
	}
	if failed > 0 {
		return exitRepoFailed, nil
	}
	return code, nil
}

// selection checks the selection flags.
func (o *githubOptions) selection() (sweep.Selection, error) {
	shard, err := sweep.ParseShard(o.shard)
	if err != nil {
		return sweep.Selection{}, usageError{"--shard: " + err.Error()}
	}
	sel := sweep.Selection{Orgs: o.orgs, Users: o.users, Repos: o.repos, Include: o.include, Exclude: o.exclude,
		IncludeArchived: o.includeArchived, IncludeForks: o.includeForks, Shard: shard}
	if err := sel.Check(); err != nil {
		return sel, usageError{err.Error()}
	}
	if o.maxRepoSizeKB < 0 {
		return sel, usageError{"--max-repo-size cannot be negative"}
	}
	if o.progress != "auto" && o.progress != "always" && o.progress != "never" {
		return sel, usageError{fmt.Sprintf("unknown --progress %q (want auto, always or never)", o.progress)}
	}
	return sel, nil
}

// repoWorkers is how many repositories are fetched and scanned at once
// (--workers; default 4). Each scan uses the usual detector goroutines.
func (o *githubOptions) repoWorkers() int {
	if o.workers > 0 {
		return o.workers
	}
	return 4
}

// list asks the API for the repositories, waiting out rate limits.
func (o *githubOptions) list(ctx context.Context, sel sweep.Selection, log zerolog.Logger) ([]sweep.Repo, error) {
	client, err := sweep.NewClient(os.Getenv("GITHUB_API_URL"), os.Getenv("GITHUB_TOKEN"), &http.Client{Timeout: time.Minute})
	if err != nil {
		return nil, usageError{err.Error()}
	}
	l := &sweep.Lister{Client: client, Retry: sweep.Retry{OnWait: func(kind string, d time.Duration) {
		log.Warn().Str("limit", kind).Dur("wait", d).Msg("GitHub rate limit: waiting")
	}}}
	return l.Survey(ctx, sel) // every repository of the shard; the excluded ones carry why (Repo.Skip)
}

// sweeper builds the sweep: the detector (from --config and --baseline: a
// repository's own .scanner.toml is not read in a sweep), the cache of
// mirrors, the state, the hash of the rules in force, and the scan of one
// mirror.
func (o *githubOptions) sweeper(ctx context.Context, sopts source.Options, log zerolog.Logger, e env) (*sweeper, error) {
	l, err := o.load(ctx, pipeline.Tree{Log: log})
	if err != nil {
		return nil, err
	}
	dir := o.cacheDir
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return nil, usageError{"no user cache directory: give --cache-dir"}
		}
		dir = filepath.Join(base, "scanner", "mirrors")
	}
	state := &sweep.State{Repos: map[string]sweep.RepoState{}}
	if o.statePath != "" {
		if state, err = sweep.LoadState(o.statePath); err != nil {
			return nil, err
		}
	}
	rulesJSON, err := json.Marshal(l.Rules)
	if err != nil {
		return nil, fmt.Errorf("hash the rules: %w", err)
	}
	show := o.progress == "always" || (o.progress == "auto" && logging.Color(e.stderr))
	s := &sweeper{loaded: l, sopts: sopts, log: log, bar: &progress.SweepBar{W: e.stderr, On: show}}
	s.Sweeper = sweep.Sweeper{
		Cache: &sweep.Cache{Dir: dir, Token: os.Getenv("GITHUB_TOKEN"), APIURL: os.Getenv("GITHUB_API_URL")},
		State: state, Full: o.full, MaxKB: o.maxRepoSizeKB, Workers: o.repoWorkers(),
		RulesHash: sweep.RulesHash(rulesJSON), Version: toolVersion(),
		Scan: s.scanMirror, Done: s.done,
	}
	return s, nil
}

// sweeper is the run's sweep: sweep.Sweeper with the scan of one mirror
// through the pipeline.
type sweeper struct {
	sweep.Sweeper
	loaded *pipeline.Loaded
	sopts  source.Options
	log    zerolog.Logger
	bar    *progress.SweepBar
}

func (o *githubOptions) target(sel sweep.Selection) report.Target {
	shard := ""
	if sel.Shard.N > 0 {
		shard = sel.Shard.String()
	}
	return report.SweepTarget(sel.Orgs, sel.Users, sel.Repos, shard)
}

// scanMirror scans one mirror (every commit, or those not reachable from
// the state's tips) through the pipeline.
func (s *sweeper) scanMirror(ctx context.Context, j sweep.Job) (sweep.Scanned, error) {
	log := s.log.With().Str("repository", j.Repo.FullName).Logger()
	sopts := s.sopts
	sopts.Log = log
	repo, err := source.OpenRepo(ctx, j.Mirror, sopts)
	if err != nil {
		return sweep.Scanned{}, err
	}
	var src source.Source = repo.History()
	if len(j.Since) > 0 {
		if src, err = repo.Since(ctx, j.Since); err != nil {
			return sweep.Scanned{}, err
		}
	}
	res, err := pipeline.Run(ctx, pipeline.Input{Source: src, Detector: s.loaded.Detector, Baselines: s.loaded.Baselines, Log: log})
	if err != nil {
		return sweep.Scanned{}, fmt.Errorf("scan %s: %w", j.Repo.FullName, err)
	}
	for _, fs := range [][]finding.Finding{res.Findings, res.Suppressed} {
		for i := range fs {
			fs[i].Repository = j.Repo.FullName
		}
	}
	return sweep.Scanned{Commits: res.Stats.Commits, Result: res}, nil
}

// done logs a finished repository (or, on a terminal, redraws the bar).
func (s *sweeper) done(o sweep.Outcome, n, total int) {
	var bytes int64
	var hits int
	if res, ok := o.Result.(*pipeline.Result); ok && res != nil {
		bytes, hits = res.Stats.Bytes, len(res.Findings)
	}
	s.bar.Done(n, total, bytes, hits)
	if !s.bar.On {
		s.logOutcome(o, n, total)
	}
}

// merge joins the repositories' results into one, with each repository's
// coverage, and counts the failures. On a terminal, where the bar stood for
// them, the per-repository lines are logged now.
func (s *sweeper) merge(outs []sweep.Outcome) (*pipeline.Result, []report.Repository, int) {
	all := &pipeline.Result{Stats: finding.Stats{Suppressed: map[string]int{}}}
	coverage := []report.Repository{}
	failed := 0
	for i, o := range outs {
		if o.Failed() {
			failed++
			all.Stats.Warnings++
		}
		if s.bar.On {
			s.logOutcome(o, i+1, len(outs))
		}
		if res, ok := o.Result.(*pipeline.Result); ok && res != nil {
			all.Add(res)
		}
		coverage = append(coverage, o.Coverage())
	}
	if ctxErr := s.interrupted(outs); ctxErr {
		all.Stats.Incomplete = true
	}
	return all, coverage, failed
}

// interrupted reports whether a repository failed because the run was
// interrupted.
func (s *sweeper) interrupted(outs []sweep.Outcome) bool {
	for _, o := range outs {
		if errors.Is(o.Err, context.Canceled) {
			return true
		}
	}
	return false
}

// logOutcome is the summary line of one repository: n of total.
func (s *sweeper) logOutcome(o sweep.Outcome, n, total int) {
	ev := s.log.Info()
	if o.Err != nil {
		ev = s.log.Error().Str("error", sweep.RedactURLs(oneLine(o.Err.Error())))
	}
	ev = ev.Str("repository", o.Repo.FullName).Str("status", o.Status).Int("done", n).Int("total", total)
	if o.Reason != "" {
		ev = ev.Str("reason", o.Reason)
	}
	if res, ok := o.Result.(*pipeline.Result); ok && res != nil {
		st := res.Stats
		ev = ev.Str("mode", o.Mode).Int64("commits", st.Commits).Int64("blobs", st.Blobs).
			Int64("bytes", st.Bytes).Int("findings", len(res.Findings))
	}
	ev.Msg("repository swept")
}

// validateSwept validates the findings of every repository at once, so a
// credential leaked in several repositories is checked once.
func (o *githubOptions) validateSwept(ctx context.Context, l *pipeline.Loaded, res *pipeline.Result, log zerolog.Logger) error {
	if !o.validate.enabled || len(res.Findings) == 0 {
		return nil
	}
	return o.validate.check(ctx, l.Rules, res.Findings, &res.Stats, log)
}
