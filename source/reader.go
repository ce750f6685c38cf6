package source

import (
	"context"
	"errors"
	"io"

	"github.com/scanner-dev/scanner/finding"
)

// Reader is one stream of content, such as standard input, read in windows
// so that its size does not matter.
type Reader struct {
	name string
	r    io.Reader
	opts Options
	c    counters
}

// NewReader returns the source of everything r holds, reported under name.
func NewReader(name string, r io.Reader, opts Options) *Reader {
	return &Reader{name: name, r: r, opts: opts}
}

// Chunks reads the stream to its end.
func (s *Reader) Chunks(ctx context.Context, fn func(finding.Chunk) error) error {
	pool, pctx := newWorkerPool(ctx, 1, fn)
	f := &feeder{opts: s.opts, pool: pool, stats: &s.c}
	err := f.content(pctx, s.name, -1, s.r, []finding.Location{{Path: s.name}})
	if errors.Is(err, errSkipped) {
		err = nil
	}
	return pool.wait(err)
}

// Stats returns what Chunks read.
func (s *Reader) Stats() finding.Stats { return s.c.stats() }
