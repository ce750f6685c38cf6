package source

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/scanner-dev/scanner/finding"
)

// changeSet is a source of blobs whose locations are known before they are
// read: the blobs a commit range added, or the blobs staged in the index.
type changeSet struct {
	*Repo
	c         counters
	list      func(ctx context.Context, fn func(change) error) error
	order     []string
	locs      map[string][]finding.Location
	queue     *changeQueue       // the listing, started before Chunks (a range's walk)
	stopList  context.CancelFunc // ends that listing early (set by listEarly)
	prefilter atomic.Pointer[Prefilter]
	early     *walkReader // rebuilds blobs as the listing finds them, once
}

// listEarly starts the listing at once, so that the walk runs while the
// caller loads its configuration; Chunks takes what it finds as it comes.
// s.stopList ends it early.
func (s *changeSet) listEarly(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	s.queue, s.stopList = newChangeQueue(), cancel
	go func() {
		s.queue.finish(s.list(ctx, s.queue.add))
		cancel()
	}()
}

// UsePrefilter lends the set the detector's keyword search, for the blobs
// it rebuilds in-process while a range is walked.
func (s *changeSet) UsePrefilter(p Prefilter) { s.prefilter.Store(&p) }

// Chunks reads each distinct blob the listing gives once, with every
// location it was added at. A range's (and staged) blobs are rebuilt
// in-process as the listing finds them (readEarly); the rest are read once
// it is done.
func (s *changeSet) Chunks(ctx context.Context, fn func(finding.Chunk) error) error {
	pool, pctx := newWorkerPool(ctx, s.opts.workers(), fn)
	f := &feeder{opts: s.opts, pool: pool, stats: &s.c}
	if w := s.early; w != nil {
		s.early = nil
		return pool.wait(s.readEarly(pctx, w, f))
	}
	if s.queue == nil {
		q := newChangeQueue()
		q.finish(s.list(ctx, q.add))
		s.queue = q
	}
	s.locs, s.order = map[string][]finding.Location{}, nil
	if err := s.takeListing(pctx, func(change) error { return nil }); err != nil {
		return pool.wait(err)
	}
	err := s.readIDs(pctx, s.order, f, func(id string) []finding.Location { return s.locs[id] })
	return pool.wait(err)
}

// Stats returns what Chunks read.
func (s *changeSet) Stats() finding.Stats { return s.c.stats() }

// Range returns the source of what the commits of a range added: "BASE..HEAD"
// (or "BASE...HEAD"), as git log understands it. An empty range is not an
// error; a revision that names no commit is.
func (r *Repo) Range(ctx context.Context, spec string) (Source, error) {
	base, head, ok := strings.Cut(spec, "..")
	head = strings.TrimPrefix(head, ".")
	if !ok || base == "" || head == "" {
		return nil, fmt.Errorf("range %q: want BASE..HEAD", spec)
	}
	for _, rev := range []string{base, head} {
		if strings.HasPrefix(rev, "-") {
			return nil, fmt.Errorf("range %q: a revision cannot start with '-'", spec)
		}
	}
	useArena()
	s := &changeSet{Repo: r}
	s.list = func(ctx context.Context, fn func(change) error) error {
		shallow := make(chan struct{})
		go func() { r.warnShallow(ctx, &s.c); close(shallow) }()
		defer func() { <-shallow }()
		walk := func(fn func(change) error) error {
			return r.b.walk(ctx, spec, nil, func(*commitInfo) { s.c.commits.Add(1) }, fn)
		}
		return r.withBaseContent(ctx, base, head, walk, fn)
	}
	// the walk starts while the revisions are checked: a bad one ends it
	s.listEarly(ctx)
	if err := r.verifyBoth(ctx, base, head); err != nil {
		s.stopList()
		return nil, fmt.Errorf("range %s: %w", spec, err)
	}
	s.locs = map[string][]finding.Location{}
	s.early = startWalkReader(ctx, s)
	return s, nil
}

// verifyBoth checks that base and head name commits, both at once; the
// error names the first that does not.
func (r *Repo) verifyBoth(ctx context.Context, base, head string) error {
	var headErr error
	done := make(chan struct{})
	go func() { headErr = r.b.verify(ctx, head); close(done) }()
	err := r.b.verify(ctx, base)
	<-done
	if err != nil {
		return err
	}
	return headErr
}

// Staged returns the source of what is staged in the index against HEAD
// (everything staged, in a repository without commits).
// The listing and the read start at once, while the caller loads its
// configuration (a pre-commit hook's run is mostly start-up).
func (r *Repo) Staged(ctx context.Context) Source {
	useArena()
	s := &changeSet{Repo: r, locs: map[string][]finding.Location{}}
	s.list = r.b.staged
	s.listEarly(ctx)
	s.early = startWalkReader(ctx, s)
	return s
}
