package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/pipeline"
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
	orgs, users, repos stringList
	include, exclude   stringList
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

// sweeper scans repositories one by one with the detector of the run.
type sweeper struct {
	cache   *sweep.Cache
	state   *sweep.State
	full    bool
	maxKB   int64
	loaded  *loaded
	sopts   source.Options
	log     zerolog.Logger
	prog    *progress
	outcome []repoOutcome
	mu      sync.Mutex
}

// repoOutcome is what the sweep did with one repository.
type repoOutcome struct {
	repo   sweep.Repo
	status string // scanned, unchanged, failed, too-large
	mode   string // full or incremental
	err    error
	res    *pipeline.Result
	tips   map[string]string
}

// runGitHub sweeps the repositories of GitHub organisations, users or a
// list, into one report.
func runGitHub(ctx context.Context, args []string, e env) (int, error) {
	var o githubOptions
	fs := newFlagSet("github", "", e)
	o.bindGitHub(fs)
	pos, err := parseArgs(fs, args)
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
	s.prog.total = len(repos)
	s.run(ctx, repos, o.repoWorkers())
	s.prog.finish()
	if err := ctx.Err(); err != nil {
		return exitError, fmt.Errorf("sweep interrupted: %w", err)
	}
	res, failed := s.merge()
	if err := o.validateSwept(ctx, s.loaded, res, log); err != nil {
		return exitError, err
	}
	code, err := o.deliver(ctx, scanJob{target: o.target(sel), log: log}, res, e)
	if err != nil {
		return code, err
	}
	if err := s.saveState(o.statePath); err != nil {
		return exitError, err
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
	return l.List(ctx, sel)
}

// sweeper builds the detector (from --config and --baseline: a repository's
// own .scanner.toml is not read in a sweep), the cache and the state.
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
	show := o.progress == "always" || (o.progress == "auto" && isTerminal(e.stderr))
	return &sweeper{
		cache: &sweep.Cache{Dir: dir, Token: os.Getenv("GITHUB_TOKEN"), APIURL: os.Getenv("GITHUB_API_URL")},
		state: state, full: o.full, maxKB: o.maxRepoSizeKB, loaded: l, sopts: sopts, log: log,
		prog: &progress{w: e.stderr, on: show},
	}, nil
}

func (o *githubOptions) target(sel sweep.Selection) report.Target {
	var what []string
	for _, v := range sel.Orgs {
		what = append(what, "org:"+v)
	}
	for _, v := range sel.Users {
		what = append(what, "user:"+v)
	}
	for _, v := range sel.Repos {
		what = append(what, "repo:"+v)
	}
	t := report.Target{Kind: "github", Path: strings.Join(what, ",")}
	if sel.Shard.N > 0 {
		t.Range = "shard " + sel.Shard.String()
	}
	return t
}

// run sweeps the repositories with n at once.
func (s *sweeper) run(ctx context.Context, repos []sweep.Repo, n int) {
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for _, r := range repos {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out := s.one(ctx, r)
			s.mu.Lock()
			s.outcome = append(s.outcome, out)
			s.mu.Unlock()
			if n := s.prog.done(out); !s.prog.on {
				s.logOutcome(out, n, len(repos))
			}
		}()
	}
	wg.Wait()
}

// one fetches and scans one repository: only the commits the state has not
// seen, unless --full or the state knows nothing of it.
func (s *sweeper) one(ctx context.Context, r sweep.Repo) repoOutcome {
	out := repoOutcome{repo: r, status: "failed"}
	if out.err = r.CheckSize(s.maxKB); out.err != nil {
		out.status = "too-large"
		return out
	}
	path, _, err := s.cache.Sync(ctx, r)
	if err != nil {
		out.err = err
		return out
	}
	if out.tips, out.err = s.cache.Tips(ctx, path); out.err != nil {
		return out
	}
	old := s.state.Scanned(r.FullName)
	if s.full {
		old = nil
	}
	if len(old) > 0 && sameTips(old, out.tips) {
		out.status, out.mode, out.res = "unchanged", "incremental", &pipeline.Result{}
		return out
	}
	out.res, out.mode, out.err = s.scanMirror(ctx, r, path, old)
	if out.err == nil {
		out.status = "scanned"
	}
	return out
}

func (s *sweeper) scanMirror(ctx context.Context, r sweep.Repo, path string, old []string) (*pipeline.Result, string, error) {
	log := s.log.With().Str("repository", r.FullName).Logger()
	sopts := s.sopts
	sopts.Log = log
	repo, err := source.OpenRepo(ctx, path, sopts)
	if err != nil {
		return nil, "", err
	}
	var src source.Source = repo.History()
	mode := "full"
	if len(old) > 0 {
		if src, err = repo.Since(ctx, old); err != nil {
			return nil, "", err
		}
		mode = "incremental"
	}
	res, err := pipeline.Run(ctx, pipeline.Input{Source: src, Detector: s.loaded.detector, Baselines: s.loaded.baselines, Log: log})
	if err != nil {
		return nil, mode, fmt.Errorf("scan %s: %w", r.FullName, err)
	}
	for _, fs := range [][]finding.Finding{res.Findings, res.Suppressed} {
		for i := range fs {
			fs[i].Repository = r.FullName
		}
	}
	return res, mode, nil
}

// sameTips reports whether the mirror's tips are all among those scanned.
func sameTips(old []string, tips map[string]string) bool {
	set := map[string]bool{}
	for _, id := range old {
		set[id] = true
	}
	for _, id := range tips {
		if !set[id] {
			return false
		}
	}
	return true
}

// merge joins the repositories' results into one and counts the failures.
// On a terminal, where the progress line stood for them, the per-repository
// summary is logged now.
func (s *sweeper) merge() (*pipeline.Result, int) {
	sort.Slice(s.outcome, func(i, j int) bool { return s.outcome[i].repo.FullName < s.outcome[j].repo.FullName })
	all := &pipeline.Result{Stats: finding.Stats{Suppressed: map[string]int{}}}
	failed := 0
	for i, o := range s.outcome {
		if o.err != nil {
			failed++
			all.Stats.Warnings++
		}
		if s.prog.on {
			s.logOutcome(o, int64(i+1), len(s.outcome))
		}
		if o.res != nil {
			all.Add(o.res)
		}
	}
	return all, failed
}

// logOutcome is the summary line of one repository: n of total.
func (s *sweeper) logOutcome(o repoOutcome, n int64, total int) {
	ev := s.log.Info()
	if o.err != nil {
		ev = s.log.Error().Str("error", sweep.RedactURLs(oneLine(o.err.Error())))
	}
	ev = ev.Str("repository", o.repo.FullName).Str("status", o.status).Int64("done", n).Int("total", total)
	if o.res != nil {
		st := o.res.Stats
		ev = ev.Str("mode", o.mode).Int64("commits", st.Commits).Int64("blobs", st.Blobs).
			Int64("bytes", st.Bytes).Int("findings", len(o.res.Findings))
	}
	ev.Msg("repository swept")
}

// validateSwept validates the findings of every repository at once, so a
// credential leaked in several repositories is checked once.
func (o *githubOptions) validateSwept(ctx context.Context, l *loaded, res *pipeline.Result, log zerolog.Logger) error {
	if !o.validate.enabled || len(res.Findings) == 0 {
		return nil
	}
	return o.validate.check(ctx, l.rules, res.Findings, log)
}

// saveState records the tips of every repository scanned (or unchanged).
func (s *sweeper) saveState(path string) error {
	if path == "" {
		return nil
	}
	now := time.Now()
	for _, o := range s.outcome {
		if o.err == nil && o.tips != nil {
			s.state.Record(o.repo.FullName, o.tips, now)
		}
	}
	return s.state.Save(path)
}

// progress is the one-line display of a sweep on a terminal.
type progress struct {
	w                  io.Writer
	on                 bool
	total              int
	count, bytes, hits atomic.Int64
	mu                 sync.Mutex
}

// done counts a finished repository, redraws the line and returns how many
// are done.
func (p *progress) done(o repoOutcome) int64 {
	if o.res != nil {
		p.bytes.Add(o.res.Stats.Bytes)
		p.hits.Add(int64(len(o.res.Findings)))
	}
	n := p.count.Add(1)
	if p.on {
		p.mu.Lock()
		defer p.mu.Unlock()
		fmt.Fprintf(p.w, "\r\033[Ksweep: %d/%d repositories, %s scanned, %d findings", n, p.total, humanBytes(p.bytes.Load()), p.hits.Load())
	}
	return n
}

func (p *progress) finish() {
	if p.on {
		fmt.Fprintln(p.w)
	}
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
