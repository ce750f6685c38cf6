package source

import (
	"context"
	"fmt"
	"strings"

	"github.com/scanner-dev/scanner/finding"
)

// changeSet is a source of blobs whose locations are known before they are
// read: the blobs a commit range added, or the blobs staged in the index.
type changeSet struct {
	*Repo
	c     counters
	list  func(ctx context.Context, fn func(change) error) error
	order []string
	locs  map[string][]finding.Location
	early chan listed // the listing started before Chunks (a range's walk)
}

// listed is a listing's changes, or why it failed.
type listed struct {
	changes []change
	err     error
}

// listEarly starts the listing at once, so that the walk runs while the
// caller loads its configuration; Chunks takes what it found.
func (s *changeSet) listEarly(ctx context.Context) {
	s.early = make(chan listed, 1)
	go func() {
		var l listed
		l.err = s.list(ctx, func(c change) error {
			l.changes = append(l.changes, c)
			return nil
		})
		s.early <- l
	}()
}

// Chunks lists the changes, then reads each distinct blob once with every
// location it was added at.
func (s *changeSet) Chunks(ctx context.Context, fn func(finding.Chunk) error) error {
	s.locs = map[string][]finding.Location{}
	add := func(c change) error {
		if _, ok := s.locs[c.blob]; !ok {
			s.order = append(s.order, c.blob)
		}
		s.locs[c.blob] = append(s.locs[c.blob], c.location())
		return nil
	}
	var err error
	if s.early != nil {
		var l listed
		select {
		case l = <-s.early:
			s.early <- l // for another call
		case <-ctx.Done():
			return ctx.Err()
		}
		for _, c := range l.changes {
			_ = add(c)
		}
		err = l.err
	} else {
		err = s.list(ctx, add)
	}
	if err != nil {
		return err
	}
	pool, pctx := newWorkerPool(ctx, s.opts.workers(), fn)
	f := &feeder{opts: s.opts, pool: pool, stats: &s.c}
	locate := func(id string) []finding.Location { return s.locs[id] }
	err = s.readIDs(pctx, s.order, f, locate)
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
		if err := r.b.verify(ctx, rev); err != nil {
			return nil, fmt.Errorf("range %s: %w", spec, err)
		}
	}
	s := &changeSet{Repo: r}
	s.list = func(ctx context.Context, fn func(change) error) error {
		r.warnShallow(ctx, &s.c)
		walk := func(fn func(change) error) error {
			return r.b.walk(ctx, spec, nil, func(*commitInfo) { s.c.commits.Add(1) }, fn)
		}
		return r.withBaseContent(ctx, base, head, walk, fn)
	}
	s.listEarly(ctx)
	return s, nil
}

// Staged returns the source of what is staged in the index against HEAD
// (everything staged, in a repository without commits).
func (r *Repo) Staged() Source {
	s := &changeSet{Repo: r}
	s.list = r.b.staged
	return s
}
