package source

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
)

// Source produces the content to scan. Chunks calls fn for every chunk, from
// several goroutines at once; a chunk's Data is only valid until fn returns.
// The first error fn returns stops the read and is returned.
type Source interface {
	Chunks(ctx context.Context, fn func(finding.Chunk) error) error
	// Stats returns what the source read; call it after Chunks returns.
	Stats() finding.Stats
}

// Locator places content whose chunks came without Locations: for each
// content ID it returns every place the content was introduced. IDs it cannot
// place (objects no ref reaches) are absent from the map.
type Locator interface {
	Locate(ctx context.Context, ids []string) (map[string][]finding.Location, error)
}

// BlobReader reads git blobs by id, as chunks without Locations. Sources of
// git content implement it so that findings can be compared with the content
// a commit replaced (finding.Location.Prior).
type BlobReader interface {
	ReadBlobs(ctx context.Context, ids []string, fn func(finding.Chunk) error) error
}

// Options tune every source.
type Options struct {
	// MaxFileSize skips content larger than this many bytes (0: no limit).
	MaxFileSize int64
	// ScanBinary scans content that looks binary instead of skipping it.
	ScanBinary bool
	// Workers is the number of goroutines calling fn (default: GOMAXPROCS).
	Workers int
	// Log receives warnings about content that could not be read.
	Log zerolog.Logger
	// WalkOnMark defers History's commit walk to the first Mark: for a
	// caller that marks (Marker) every content id with findings during
	// Chunks. A history without findings is then never walked.
	WalkOnMark bool
}

func (o Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// counters are the Stats a source keeps while several goroutines read.
type counters struct {
	commits, blobs, bytes, binary, large, warnings atomic.Int64
	missing, fetched, corrupt                      atomic.Int64

	mu       sync.Mutex
	largeIDs []string // oversized content read without a path (history blobs)
}

// skipLarge counts content skipped for its size; content without a path is
// remembered so that its paths can be named once known (LargeSkipper).
func (c *counters) skipLarge(id string, locs []finding.Location, size int64, log zerolog.Logger) {
	c.large.Add(1)
	if len(locs) == 0 || locs[0].Path == "" {
		c.mu.Lock()
		c.largeIDs = append(c.largeIDs, id)
		c.mu.Unlock()
		return
	}
	log.Warn().Str("path", locs[0].Path).Int64("bytes", size).Msg("skipped: larger than --max-file-size")
}

// LargeSkipper is a source that skipped oversized content it read without a
// path (the blobs of a history): their ids, to be named by path through a
// Locator.
type LargeSkipper interface {
	SkippedLarge() []string
}

func (c *counters) stats() finding.Stats {
	return finding.Stats{
		Commits: c.commits.Load(), Blobs: c.blobs.Load(), Bytes: c.bytes.Load(),
		SkippedBinary: c.binary.Load(), SkippedLarge: c.large.Load(), Warnings: int(c.warnings.Load()),
		MissingBlobs: c.missing.Load(), FetchedBlobs: c.fetched.Load(), CorruptBlobs: c.corrupt.Load(),
	}
}

// workerPool runs fn on chunks sent to it from one producer goroutine.
type workerPool struct {
	jobs chan job
	wg   sync.WaitGroup
	mu   sync.Mutex
	err  error
	stop context.CancelFunc
	// parent is the caller's context: once it is done, its error wins over
	// whatever a producer reports from the stream it cut short.
	parent context.Context
}

type job struct {
	chunk finding.Chunk
	buf   *[]byte // returned to the buffer pool after fn
}

func newWorkerPool(ctx context.Context, n int, fn func(finding.Chunk) error) (*workerPool, context.Context) {
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	p := &workerPool{jobs: make(chan job, 2*n), stop: cancel, parent: parent}
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for j := range p.jobs {
				if ctx.Err() == nil {
					if err := fn(j.chunk); err != nil {
						p.fail(err)
					}
				}
				putBuf(j.buf)
			}
		}()
	}
	return p, ctx
}

func (p *workerPool) fail(err error) {
	p.mu.Lock()
	if p.err == nil {
		p.err = err
	}
	p.mu.Unlock()
	p.stop()
}

// send queues a chunk, or returns the context's error once the run stops.
func (p *workerPool) send(ctx context.Context, j job) error {
	select {
	case p.jobs <- j:
		return nil
	case <-ctx.Done():
		putBuf(j.buf)
		return ctx.Err()
	}
}

// wait closes the queue, waits for the workers and returns the first error:
// fn's, else the producer's (prodErr).
func (p *workerPool) wait(prodErr error) error {
	close(p.jobs)
	p.wg.Wait()
	p.stop()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return p.err
	}
	if err := p.parent.Err(); err != nil {
		return err
	}
	return prodErr
}
