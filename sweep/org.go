package sweep

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/progress"
	"github.com/scanner-dev/scanner/rules"
)

// Config is an org sweep as the command line asks for it.
type Config struct {
	Selection Selection
	Shard     string     // "K/N": only that part of the repositories (see ParseShard); Check sets Selection.Shard
	CacheDir  string     // where the bare mirrors are kept ("": the user cache directory/scanner/mirrors)
	StatePath string     // the state file ("": none, every repository is scanned in full)
	Full      bool       // scan every commit, whatever the state says
	MaxKB     int64      // skip (and report) repositories larger than this (0: no limit)
	Workers   int        // repositories fetched and scanned at once (0: 4)
	Rules     *rules.Set // the rules in force, hashed into the state (RulesHash)
	Version   string     // the scanner's version, recorded in the state
	APIURL    string     // the GitHub API ("": api.github.com)
	Token     string     // the GitHub token, for the API and the mirrors
	Progress  string     // the bar on Stderr: auto (when Terminal), always or never
	Terminal  bool       // Stderr is a terminal
	Stderr    io.Writer
	Log       zerolog.Logger
}

// Check checks what the flags asked for: the shard, the selection, the
// size limit and the progress mode. It sets Selection.Shard.
func (c *Config) Check() error {
	shard, err := ParseShard(c.Shard)
	if err != nil {
		return fmt.Errorf("--shard: %w", err)
	}
	c.Selection.Shard = shard
	if err := c.Selection.Check(); err != nil {
		return err
	}
	if c.MaxKB < 0 {
		return errors.New("--max-repo-size cannot be negative")
	}
	if c.Progress != "auto" && c.Progress != "always" && c.Progress != "never" {
		return fmt.Errorf("unknown --progress %q (want auto, always or never)", c.Progress)
	}
	return nil
}

// Scan scans one repository's mirror through the pipeline: its whole
// history, or with job.Since only the commits no tip of Since reaches. log
// names the repository. It is called from several goroutines at once.
type Scan func(ctx context.Context, job Job, log zerolog.Logger) (*pipeline.Result, error)

// Swept is what an org sweep found and did.
type Swept struct {
	// Result is every repository's findings, merged; a failed repository
	// counts as a warning, and Stats.Incomplete says the sweep was
	// interrupted.
	Result   *pipeline.Result
	Coverage []Coverage // what the sweep did with each repository, by name
	Failed   int        // repositories it could not cover (Outcome.Failed)

	org  *org
	outs []Outcome
}

// Run checks cfg, lists the repositories it selects (waiting out rate
// limits) and sweeps them, scanning each mirror with scan, into one result
// and a coverage list. The state file is written by Swept.Save, once the
// result is reported.
func Run(ctx context.Context, cfg Config, scan Scan) (*Swept, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	o, err := newOrg(cfg, scan)
	if err != nil {
		return nil, err
	}
	repos, err := o.list(ctx)
	if err != nil {
		return nil, err
	}
	cfg.Log.Info().Int("repositories", len(repos)).Str("shard", cfg.Selection.Shard.String()).Msg("listed")
	outs := o.Run(ctx, repos)
	o.bar.Finish()
	return o.merge(outs), nil
}

// Save records in the state file what the sweep covered (see
// Sweeper.Record); without a state file it does nothing.
func (s *Swept) Save() error {
	if s.org.cfg.StatePath == "" {
		return nil
	}
	s.org.Record(s.outs)
	return s.org.State.Save(s.org.cfg.StatePath)
}

// org is one org sweep: the Sweeper with its scan, the bar and the log.
type org struct {
	Sweeper
	cfg  Config
	scan Scan
	bar  *progress.SweepBar
}

// newOrg builds the sweep: the cache of mirrors, the state, the hash of the
// rules in force and the progress bar.
func newOrg(cfg Config, scan Scan) (*org, error) {
	dir := cfg.CacheDir
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return nil, errors.New("no user cache directory: give --cache-dir")
		}
		dir = filepath.Join(base, "scanner", "mirrors")
	}
	state := &State{Repos: map[string]RepoState{}}
	if cfg.StatePath != "" {
		var err error
		if state, err = LoadState(cfg.StatePath); err != nil {
			return nil, err
		}
	}
	rulesJSON, err := json.Marshal(cfg.Rules)
	if err != nil {
		return nil, fmt.Errorf("hash the rules: %w", err)
	}
	show := cfg.Progress == "always" || (cfg.Progress == "auto" && cfg.Terminal)
	o := &org{cfg: cfg, scan: scan, bar: &progress.SweepBar{W: cfg.Stderr, On: show}}
	o.Sweeper = Sweeper{
		Cache: &Cache{Dir: dir, Token: cfg.Token, APIURL: cfg.APIURL},
		State: state, Full: cfg.Full, MaxKB: cfg.MaxKB, Workers: cfg.Workers,
		RulesHash: RulesHash(rulesJSON), Version: cfg.Version,
		Scan: o.scanMirror, Done: o.done,
	}
	return o, nil
}

// list asks the API for the repositories, waiting out rate limits: every
// repository of the shard, the excluded ones with why (Repo.Skip).
func (o *org) list(ctx context.Context) ([]Repo, error) {
	client, err := NewClient(o.cfg.APIURL, o.cfg.Token, &http.Client{Timeout: time.Minute})
	if err != nil {
		return nil, err
	}
	l := &Lister{Client: client, Retry: Retry{OnWait: func(kind string, d time.Duration) {
		o.cfg.Log.Warn().Str("limit", kind).Dur("wait", d).Msg("GitHub rate limit: waiting")
	}}}
	return l.Survey(ctx, o.cfg.Selection)
}

// scanMirror scans one mirror with the caller's Scan; its findings carry
// the repository's name.
func (o *org) scanMirror(ctx context.Context, j Job) (Scanned, error) {
	res, err := o.scan(ctx, j, o.cfg.Log.With().Str("repository", j.Repo.FullName).Logger())
	if err != nil {
		return Scanned{}, fmt.Errorf("scan %s: %w", j.Repo.FullName, err)
	}
	for _, fs := range [][]finding.Finding{res.Findings, res.Suppressed} {
		for i := range fs {
			fs[i].Repository = j.Repo.FullName
		}
	}
	return Scanned{Commits: res.Stats.Commits, Result: res}, nil
}

// resultOf is the pipeline's result of a scanned repository, else nil.
func resultOf(o Outcome) *pipeline.Result {
	res, _ := o.Result.(*pipeline.Result)
	return res
}

// done logs a finished repository (or, on a terminal, redraws the bar).
func (o *org) done(out Outcome, n, total int) {
	var bytes int64
	var hits int
	if res := resultOf(out); res != nil {
		bytes, hits = res.Stats.Bytes, len(res.Findings)
	}
	o.bar.Done(n, total, bytes, hits)
	if !o.bar.On {
		o.logOutcome(out, n, total)
	}
}

// merge joins the repositories' results into one, with each repository's
// coverage, and counts the failures. On a terminal, where the bar stood for
// them, the per-repository lines are logged now.
func (o *org) merge(outs []Outcome) *Swept {
	s := &Swept{Result: &pipeline.Result{Stats: finding.Stats{Suppressed: map[string]int{}}}, Coverage: []Coverage{}, org: o, outs: outs}
	for i, out := range outs {
		if out.Failed() {
			s.Failed++
			s.Result.Stats.Warnings++
		}
		if o.bar.On {
			o.logOutcome(out, i+1, len(outs))
		}
		if res := resultOf(out); res != nil {
			s.Result.Add(res)
		}
		s.Coverage = append(s.Coverage, out.Coverage())
	}
	s.Result.Stats.Incomplete = interrupted(outs)
	return s
}

// interrupted reports whether a repository failed because the run was
// interrupted.
func interrupted(outs []Outcome) bool {
	for _, o := range outs {
		if errors.Is(o.Err, context.Canceled) {
			return true
		}
	}
	return false
}

// logOutcome is the summary line of one repository: n of total.
func (o *org) logOutcome(out Outcome, n, total int) {
	log := o.cfg.Log
	ev := log.Info()
	if out.Err != nil {
		ev = log.Error().Str("error", RedactURLs(strings.Join(strings.Fields(out.Err.Error()), " ")))
	}
	ev = ev.Str("repository", out.Repo.FullName).Str("status", out.Status).Int("done", n).Int("total", total)
	if out.Reason != "" {
		ev = ev.Str("reason", out.Reason)
	}
	if res := resultOf(out); res != nil {
		st := res.Stats
		ev = ev.Str("mode", out.Mode).Int64("commits", st.Commits).Int64("blobs", st.Blobs).
			Int64("bytes", st.Bytes).Int("findings", len(res.Findings))
	}
	ev.Msg("repository swept")
}
