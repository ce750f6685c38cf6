package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/scanner-dev/scanner/finding"
)

// Window sizes. A window holds at most WindowSize bytes; consecutive windows
// of one content overlap by Overlap bytes, more than any credential and the
// context its detector looks at, so nothing is cut in two.
const (
	WindowSize = 8 << 20
	Overlap    = 32 << 10
	sniffLen   = 8000 // bytes examined for NUL to call content binary, as git does
)

// feeder cuts content into chunks and queues them on a worker pool.
type feeder struct {
	opts  Options
	pool  *workerPool
	stats *counters
	// locateLater: the locations given name the content in messages and
	// traces only (Chunk.Path); chunks go without, and the source places
	// them through Locate.
	locateLater bool
}

// errSkipped is returned by content for content it chose not to scan.
var errSkipped = errors.New("skipped")

// content reads one piece of content from r (size bytes, or until EOF when
// size < 0) and queues its chunks. Binary and oversized content is skipped,
// counted and drained from r.
func (f *feeder) content(ctx context.Context, id string, size int64, r io.Reader, locs []finding.Location) error {
	if f.opts.MaxFileSize > 0 && size > f.opts.MaxFileSize {
		f.stats.skipLarge(id, locs, size, f.opts.Log)
		return drain(r, errSkipped)
	}
	first := min(size, WindowSize)
	if size < 0 {
		first = WindowSize
	}
	buf := getBuf(int(first))
	n, err := io.ReadFull(r, *buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		putBuf(buf)
		return fmt.Errorf("read %s: %w", describe(id, locs), err)
	}
	*buf = (*buf)[:n]
	if order, ok := utf16Text(*buf); ok { // UTF-16 text is decoded, not skipped (utf16.go)
		return f.utf16(ctx, id, r, locs, buf, order)
	}
	if !f.opts.ScanBinary && bytes.IndexByte((*buf)[:min(n, sniffLen)], 0) >= 0 {
		putBuf(buf)
		f.stats.binary.Add(1)
		return drain(r, errSkipped)
	}
	f.stats.blobs.Add(1)
	return f.windows(ctx, id, size, r, locs, buf, keywordHits{})
}

// owned queues content already in memory (buf, which it takes over), cut
// into windows like content's. Binary and oversized content is skipped and
// counted. kh are the content's keyword hits when a Prefilter found them;
// they are passed on to the chunks unless the content is decoded (UTF-16).
func (f *feeder) owned(ctx context.Context, id string, buf *[]byte, locs []finding.Location, kh keywordHits) error {
	size := int64(len(*buf))
	if f.opts.MaxFileSize > 0 && size > f.opts.MaxFileSize {
		putBuf(buf)
		f.stats.skipLarge(id, locs, size, f.opts.Log)
		return nil
	}
	if order, ok := utf16Text(*buf); ok { // UTF-16 text is decoded, not skipped (utf16.go)
		return f.utf16(ctx, id, eofReader{}, locs, buf, order)
	}
	if _, ok := utf16Text((*buf)[:min(size, WindowSize)]); ok { // decoded as content does
		err := f.content(ctx, id, size, bytes.NewReader(*buf), locs)
		putBuf(buf)
		if errors.Is(err, errSkipped) {
			return nil
		}
		return err
	}
	if !f.opts.ScanBinary && bytes.IndexByte((*buf)[:min(size, sniffLen)], 0) >= 0 {
		putBuf(buf)
		f.stats.binary.Add(1)
		return nil
	}
	f.stats.blobs.Add(1)
	if size <= WindowSize {
		return f.windows(ctx, id, size, eofReader{}, locs, buf, kh)
	}
	first := getBuf(WindowSize)
	copy(*first, *buf)
	err := f.windows(ctx, id, size, bytes.NewReader((*buf)[WindowSize:]), locs, first, kh)
	putBuf(buf)
	return err
}

// windows queues buf as the first window and reads the rest of the content
// in overlapping windows. Known keyword hits go with a content that is one
// window; a content with none known makes every window known to have none.
func (f *feeder) windows(ctx context.Context, id string, size int64, r io.Reader, locs []finding.Location, buf *[]byte, kh keywordHits) error {
	offset, line, col, carried := int64(0), 1, 1, 0
	for {
		data := *buf
		f.stats.bytes.Add(int64(len(data) - carried))
		more := len(data) == WindowSize && (size < 0 || offset+int64(len(data)) < size)
		var next *[]byte
		var nextOff int64
		var nextLine, nextCol int
		if more {
			cut := windowCut(data)
			next = getBuf(WindowSize)
			copy(*next, data[cut:])
			nextOff, nextLine = offset+int64(cut), line+bytes.Count(data[:cut], []byte{'\n'})
			nextCol = col + cut // the next window starts inside this line...
			if nl := bytes.LastIndexByte(data[:cut], '\n'); nl >= 0 {
				nextCol = cut - nl // ...or inside a later one
			}
			keep := len(data) - cut
			carried = keep
			n, err := io.ReadFull(r, (*next)[keep:])
			if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
				putBuf(next)
				putBuf(buf)
				return fmt.Errorf("read %s: %w", describe(id, locs), err)
			}
			*next = (*next)[:keep+n]
			more = n > 0
		}
		c := finding.Chunk{ID: id, Data: data, Offset: offset, Line: line, Column: col, Locations: locs}
		if f.locateLater {
			c.Locations, c.Path = nil, describe("", locs)
		}
		if kh.known && (len(kh.hits) == 0 || offset == 0 && !more) {
			c.Hits, c.HitsKnown = kh.hits, true
		}
		if err := f.pool.send(ctx, job{chunk: c, buf: buf}); err != nil {
			putBuf(next)
			return err
		}
		if !more {
			putBuf(next)
			return nil
		}
		buf, offset, line, col = next, nextOff, nextLine, nextCol
	}
}

// windowCut picks where the next window starts: Overlap bytes before the end
// of this one, moved forward to the start of a line when one is near.
func windowCut(data []byte) int {
	cut := len(data) - Overlap
	if i := bytes.IndexByte(data[cut:len(data)-Overlap/2], '\n'); i >= 0 {
		return cut + i + 1
	}
	return cut
}

func drain(r io.Reader, err error) error {
	if _, cerr := io.Copy(io.Discard, r); cerr != nil {
		return cerr
	}
	return err
}

// describe names content in warnings: its first path, or its id.
func describe(id string, locs []finding.Location) string {
	if len(locs) > 0 && locs[0].Path != "" {
		return locs[0].Path
	}
	return id
}
