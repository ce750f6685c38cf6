package source

import (
	"context"
	"sync"

	"github.com/scanner-dev/scanner/finding"
)

// History is every blob of a repository, placed afterwards at the commits
// that introduced it. It implements Source, Locator and BlobReader.
type History struct {
	*Repo
	c counters
}

// History returns the source of the repository's whole history: every
// commit reachable from any ref.
func (r *Repo) History() *History { return &History{Repo: r} }

// Chunks streams every blob once. The commits are counted alongside.
func (h *History) Chunks(ctx context.Context, fn func(finding.Chunk) error) error {
	h.warnShallow(ctx, &h.c)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		n, err := h.b.countCommits(ctx, "")
		if err != nil {
			h.opts.Log.Debug().Err(err).Msg("counting commits")
		}
		h.c.commits.Store(n)
	}()
	pool, pctx := newWorkerPool(ctx, h.opts.workers(), fn)
	f := &feeder{opts: h.opts, pool: pool, stats: &h.c}
	err := h.b.allBlobs(pctx, h.feedObject(pctx, f, nil), warnBroken(h.opts, &h.c))
	err = pool.wait(err)
	wg.Wait()
	return err
}

// Locate walks every ref's commits and returns, for each blob id, every
// place a commit added or changed a path to that blob.
func (h *History) Locate(ctx context.Context, ids []string) (map[string][]finding.Location, error) {
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	out := map[string][]finding.Location{}
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
