package source

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/scanner-dev/scanner/finding"
)

// History is every blob of a repository, placed afterwards at the commits
// that introduced it. It implements Source, Locator, BlobReader and Marker.
type History struct {
	*Repo
	c counters
	// changes holds every change of every ref's commits when Chunks could
	// walk them alongside the blob stream (nil otherwise): Locate then needs
	// no second walk.
	changes *walkIndex

	// The walk alongside the read: started at once, or at the first Mark
	// with Options.WalkOnMark.
	walkOnce sync.Once
	walkCtx  context.Context
	walked   chan prefetched

	prefilter *Prefilter // set by UsePrefilter
	stopCount func()     // stops the commit count a walk makes needless
}

// UsePrefilter makes Chunks find the keyword hits of the blobs it rebuilds
// in-process with p, and send them with the chunks (finding.Chunk.Hits). Call it
// before Chunks.
func (h *History) UsePrefilter(p Prefilter) { h.prefilter = &p }

// Marker is told, while Chunks runs, which content had findings. A source
// that places content after reading it (History) starts the walk that
// places it only then: a history without findings is never walked.
type Marker interface {
	// Mark says content id had findings. It may be called from fn, from
	// several goroutines, any number of times per id.
	Mark(id string)
}

// maxPrefetch bounds the changes Chunks keeps for Locate (some 40 MB at
// most; git/git's 85,000 commits make 180,000); a history with more is
// walked again by Locate, for the blobs it asks about only, so that memory
// stops growing with the number of commits. (A variable so that a test can
// go past it.)
var maxPrefetch = 250_000

// History returns the source of the repository's whole history: every
// commit reachable from any ref.
func (r *Repo) History() *History { return &History{Repo: r} }

// Mark starts the commit walk, when Options.WalkOnMark deferred it: content
// with findings will need placing.
func (h *History) Mark(string) {
	if h.walked != nil { // set by Chunks, before fn is first called
		h.startWalk()
	}
}

func (h *History) startWalk() {
	h.walkOnce.Do(func() {
		if h.stopCount != nil {
			h.stopCount()
		}
		go func() {
			restore := yieldCore() // see yield.go
			w := h.prefetch(h.walkCtx)
			restore()
			h.walked <- w
		}()
	})
}

// Chunks streams every blob once. The commits are walked alongside (from
// the start, or from the first Mark with Options.WalkOnMark), for Locate
// and to count them, while the blobs are being read.
func (h *History) Chunks(ctx context.Context, fn func(finding.Chunk) error) error {
	var wg sync.WaitGroup
	wg.Add(1)
	counted := int64(-1) // rev-list's count, with a deferred walk
	// A walk, once started, counts the commits itself: it stops the count
	// (a second process reading every commit beside it, for nothing).
	cctx, stopCount := context.WithCancel(ctx)
	defer stopCount()
	h.stopCount = stopCount
	go func() {
		defer wg.Done()
		h.warnShallow(ctx, &h.c)
		if h.opts.WalkOnMark {
			if n, err := h.b.countCommits(cctx, ""); err == nil {
				counted = n
			}
		}
	}()
	wctx, stopWalk := context.WithCancel(ctx)
	defer stopWalk()
	h.walkCtx, h.walked = wctx, make(chan prefetched, 1)
	if !h.opts.WalkOnMark {
		h.startWalk()
	}
	pool, pctx := newWorkerPool(ctx, h.opts.workers(), fn)
	f := &feeder{opts: h.opts, pool: pool, stats: &h.c}
	err := h.readAll(pctx, f)
	if err == nil {
		err = h.completePartial(pctx, f)
	}
	err = pool.wait(err)
	if err == nil {
		err = h.noneRead()
	}
	// The walk is bounded by maxPrefetch, and Locate would walk as much
	// again for the first finding: wait for it rather than waste it.
	if err != nil {
		stopWalk()
	}
	var w prefetched
	started := true
	h.walkOnce.Do(func() { started = false }) // a Mark from now on starts nothing
	if started {
		w = <-h.walked
	}
	h.changes = w.changes
	wg.Wait()
	if err == nil {
		h.countCommits(ctx, w, counted)
	}
	return err
}

// countCommits counts the history's commits: the walk's count when it
// went to the end, else git's.
func (h *History) countCommits(ctx context.Context, w prefetched, counted int64) {
	if w.complete {
		h.c.commits.Store(w.commits)
		return
	}
	if counted >= 0 {
		h.c.commits.Store(counted)
		return
	}
	n, err := h.b.countCommits(ctx, "")
	if err != nil {
		h.opts.Log.Debug().Err(err).Msg("counting commits")
	}
	h.c.commits.Store(n)
}

// prefetched is what the walk alongside the blob read gathered.
type prefetched struct {
	changes  *walkIndex // nil when the walk failed or went over budget
	commits  int64      // commits walked
	complete bool       // the walk went to the end
}

// prefetch walks every ref's commits and returns every change, or no
// changes when the walk fails, is stopped or finds more than maxPrefetch.
func (h *History) prefetch(ctx context.Context) prefetched {
	var w prefetched
	out := newWalkIndex()
	onCommit := func(c *commitInfo) {
		w.commits++
		if out != nil {
			out.commit(c)
		}
	}
	err := h.b.walk(ctx, "", nil, onCommit, func(c change) error {
		if out == nil {
			return nil // over budget: only counting commits now
		}
		if out.changes >= maxPrefetch || !out.add(c) {
			out = nil // (a change it cannot key: Locate walks again)
		}
		return nil
	})
	if err != nil {
		return prefetched{}
	}
	w.changes, w.complete = out, true
	return w
}

// noneRead returns ErrNoBlobs when blobs were missing or corrupt and not
// one could be read.
func (h *History) noneRead() error {
	bad := h.c.missing.Load() + h.c.corrupt.Load()
	if bad > 0 && h.c.blobs.Load()+h.c.binary.Load()+h.c.large.Load() == 0 {
		return fmt.Errorf("%d missing and %d corrupt: %w", h.c.missing.Load(), h.c.corrupt.Load(), ErrNoBlobs)
	}
	return nil
}

// readAll reads every blob: in-process from the object directory when it
// can, with git cat-file otherwise.
func (h *History) readAll(ctx context.Context, f *feeder) error {
	if cb, ok := h.b.(cliBackend); ok {
		err := cb.packedBlobs(ctx, h.opts.workers(), h.prefilter, func(id string, buf *[]byte, kh keywordHits) error {
			return f.owned(ctx, id, buf, nil, kh)
		}, warnCorrupt(h.opts, &h.c))
		if !errors.Is(err, errUnsupported) {
			return err
		}
		h.opts.Log.Debug().Err(err).Msg("reading objects with git cat-file")
	}
	return h.b.allBlobs(ctx, h.feedObject(ctx, f, nil), warnBroken(h.opts, &h.c))
}

// Locate walks every ref's commits and returns, for each blob id, every
// place a commit added or changed a path to that blob.
func (h *History) Locate(ctx context.Context, ids []string) (map[string][]finding.Location, error) {
	out := map[string][]finding.Location{}
	if h.changes != nil {
		for _, id := range ids {
			if l := h.changes.locations(id); len(l) > 0 {
				out[id] = l
			}
		}
		return out, nil
	}
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	err := h.b.walk(ctx, "", ids, nil, func(c change) error {
		if want[c.blob] {
			out[c.blob] = append(out[c.blob], c.location())
		}
		return nil
	})
	return out, err
}

// Stats returns what Chunks read.
func (h *History) Stats() finding.Stats { return h.c.stats() }

// SkippedLarge returns the blobs Chunks skipped for their size, sorted; call
// it after Chunks returns.
func (h *History) SkippedLarge() []string {
	h.c.mu.Lock()
	defer h.c.mu.Unlock()
	ids := append([]string(nil), h.c.largeIDs...)
	sort.Strings(ids)
	return ids
}
