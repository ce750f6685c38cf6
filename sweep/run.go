package sweep

import (
	"context"
	"errors"
	"sort"
	"strings"
	"sync"
	"time"
)

// What a sweep did with a repository (Outcome.Status).
const (
	StatusScanned   = "scanned"   // its history (all, or what is new) was scanned
	StatusUnchanged = "unchanged" // every tip was scanned by an earlier sweep with the same rules
	StatusSkipped   = "skipped"   // left out; Outcome.Reason says why
	StatusFailed    = "failed"    // could not be fetched or scanned; Outcome.Err says why
)

// Scan modes (Outcome.Mode).
const (
	ModeFull        = "full"        // every commit
	ModeIncremental = "incremental" // the commits no tip of the state reaches
)

// Job is one repository for the scan callback: its up-to-date mirror, and
// the tips whose history was already scanned (nil: scan every commit).
type Job struct {
	Repo   Repo
	Mirror string   // path of the bare mirror
	Since  []string // commits already scanned, with their history; nil for a full scan
}

// Scanned is what the scan callback did with a Job.
type Scanned struct {
	Commits int64 // commits walked
	Result  any   // the caller's own result (findings), handed back in Outcome.Result
}

// Sweeper fetches and scans repositories, several at once, deciding for
// each whether it is skipped, unchanged since the state's sweep, or scanned
// in full or incrementally. The scanning itself is the caller's (Scan).
type Sweeper struct {
	Cache   *Cache
	State   *State // what earlier sweeps scanned; nil: nothing
	Full    bool   // scan every commit whatever the state says
	MaxKB   int64  // skip repositories larger than this (0: no limit)
	Workers int    // repositories at once (default 4)
	// RulesHash identifies the rules in force (see RulesHash): a repository
	// the state records with another hash is scanned in full.
	RulesHash string
	Version   string // the scanner's version, recorded with what it scanned
	// Scan scans one repository. It is called from several goroutines at
	// once.
	Scan func(ctx context.Context, job Job) (Scanned, error)
	// Done is told of each repository when it is finished: n of total.
	// Calls never overlap (logging and progress need no lock of their own),
	// in the order the repositories finish. May be nil.
	Done func(o Outcome, n, total int)

	now func() time.Time
}

// Outcome is what the sweep did with one repository.
type Outcome struct {
	Repo    Repo
	Status  string            // StatusScanned, StatusUnchanged, StatusSkipped or StatusFailed
	Reason  string            // why it was skipped (Skip* constants)
	Err     error             // why it failed; ErrTooLarge for a repository past the size limit
	Mode    string            // ModeFull or ModeIncremental, when scanned
	Commits int64             // commits scanned in this sweep
	Tips    map[string]string // ref -> object id of the mirror, once fetched
	Result  any               // what Scan returned
	// Covered is the state entry that accounts for the repository's
	// history after this sweep: tips, when, rules hash and version.
	Covered RepoState
}

// Run sweeps repos, Workers at once, and returns the outcomes sorted by
// name. Repositories with Skip set are accounted for, not fetched.
func (s *Sweeper) Run(ctx context.Context, repos []Repo) []Outcome {
	n := s.Workers
	if n <= 0 {
		n = 4
	}
	var (
		mu   sync.Mutex
		outs []Outcome
		wg   sync.WaitGroup
	)
	finish := func(o Outcome) {
		mu.Lock()
		defer mu.Unlock()
		outs = append(outs, o)
		if s.Done != nil {
			s.Done(o, len(outs), len(repos))
		}
	}
	sem := make(chan struct{}, n)
	for _, r := range repos {
		if !acquire(ctx, sem) { // interrupted: the rest fail without being fetched
			finish(Outcome{Repo: r, Status: StatusFailed, Err: ctx.Err()})
			continue
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			finish(s.one(ctx, r))
		}()
	}
	wg.Wait()
	sort.Slice(outs, func(i, j int) bool {
		return strings.ToLower(outs[i].Repo.FullName) < strings.ToLower(outs[j].Repo.FullName)
	})
	return outs
}

// acquire takes a slot of sem, or returns false once ctx is done.
func acquire(ctx context.Context, sem chan struct{}) bool {
	if ctx.Err() != nil {
		return false
	}
	select {
	case sem <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

// one fetches and scans one repository: only the commits the state has not
// seen with the same rules, unless Full.
func (s *Sweeper) one(ctx context.Context, r Repo) Outcome {
	o := Outcome{Repo: r, Status: StatusFailed}
	if r.Skip != "" {
		o.Status, o.Reason = StatusSkipped, r.Skip
		return o
	}
	if o.Err = r.CheckSize(s.MaxKB); o.Err != nil {
		o.Status, o.Reason = StatusSkipped, SkipTooLarge
		return o
	}
	path, _, err := s.Cache.Sync(ctx, r)
	if err != nil {
		o.Err = err
		return o
	}
	if o.Tips, o.Err = s.Cache.Tips(ctx, path); o.Err != nil {
		return o
	}
	since, prior := s.since(r)
	if len(since) > 0 && sameTips(since, o.Tips) {
		o.Status, o.Mode = StatusUnchanged, ModeIncremental
		o.Covered = prior
		o.Covered.Tips = o.Tips
		return o
	}
	o.Mode = ModeFull
	if len(since) > 0 {
		o.Mode = ModeIncremental
	}
	sc, err := s.Scan(ctx, Job{Repo: r, Mirror: path, Since: since})
	if err != nil {
		o.Err = err
		return o
	}
	o.Status, o.Commits, o.Result = StatusScanned, sc.Commits, sc.Result
	o.Covered = RepoState{Tips: o.Tips, ScannedAt: s.clock().UTC(), RulesHash: s.RulesHash, Version: s.Version}
	return o
}

// since returns the tips an incremental scan of r starts from (none for a
// full scan) and the state's entry for r.
func (s *Sweeper) since(r Repo) ([]string, RepoState) {
	if s.State == nil {
		return nil, RepoState{}
	}
	prior, _ := s.State.Get(r.FullName)
	if s.Full {
		return nil, prior
	}
	return s.State.Since(r.FullName, s.RulesHash), prior
}

func (s *Sweeper) clock() time.Time {
	if s.now != nil {
		return s.now()
	}
	return time.Now()
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

// Record notes in the state what outs covered: every repository scanned or
// unchanged, with its tips, rules hash and scanner version. Failed and
// skipped repositories keep their earlier entry.
func (s *Sweeper) Record(outs []Outcome) {
	if s.State == nil {
		return
	}
	for _, o := range outs {
		if o.Status == StatusScanned || o.Status == StatusUnchanged {
			s.State.Put(o.Repo.FullName, o.Covered)
		}
	}
}

// Failed reports whether the repository could not be covered: it failed,
// or it was skipped for its size (the report covers the others).
func (o Outcome) Failed() bool { return o.Status == StatusFailed || errors.Is(o.Err, ErrTooLarge) }
