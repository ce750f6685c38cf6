package source

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"hash/maphash"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/scanner-dev/scanner/finding"
)

// changeQueue holds a listing's changes as it finds them, so that Chunks can
// take them while the listing (a range's git log) goes on.
type changeQueue struct {
	mu      sync.Mutex
	changes []change
	done    bool
	err     error
	more    chan struct{} // a token when changes were added or the listing ended
}

func newChangeQueue() *changeQueue { return &changeQueue{more: make(chan struct{}, 1)} }

func (q *changeQueue) add(c change) error {
	q.mu.Lock()
	q.changes = append(q.changes, c)
	q.mu.Unlock()
	q.signal()
	return nil
}

func (q *changeQueue) finish(err error) {
	q.mu.Lock()
	q.done, q.err = true, err
	q.mu.Unlock()
	q.signal()
}

func (q *changeQueue) signal() {
	select {
	case q.more <- struct{}{}:
	default:
	}
}

// next waits for changes past the first from, and returns them, and whether
// (and how) the listing ended.
func (q *changeQueue) next(ctx context.Context, from int) ([]change, bool, error) {
	for {
		q.mu.Lock()
		cs, done, err := q.changes[from:], q.done, q.err
		q.mu.Unlock()
		if len(cs) > 0 || done {
			if done {
				q.signal() // for another caller
			}
			return cs, done, err
		}
		select {
		case <-q.more:
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
	}
}

// readWhileWalking turns walkReader on. (A variable so that tests can read
// a range the other way, through readIDs alone, to compare.)
var readWhileWalking = true

// prefetchBytes bounds what a range read holds rebuilt before Chunks is
// called. (A variable for tests.)
var prefetchBytes int64 = 64 << 20

// walkReader rebuilds a range's blobs in-process while git log is still
// walking it (and staged blobs while git diff lists them), from the
// listing's first change on: while the caller still loads
// its configuration, and then on the core the walk leaves idle. Blobs
// rebuilt before Chunks is called wait for it (within prefetchBytes); after
// that, each is handed on as it is rebuilt, without its locations, which
// Locate gives once the walk is over. Blobs it cannot rebuild (not in a
// pack, damaged) are left for readIDs, which reads them with git and
// reports what fails.
type walkReader struct {
	s       *changeSet
	objects string
	set     *packSet
	jobs    []chan blobJob
	seed    maphash.Seed
	wg      sync.WaitGroup
	listed  chan struct{} // closed when the listing ended (listErr says how)
	listErr error
	ready   chan struct{} // closed once Chunks takes blobs, or never will

	mu     sync.Mutex
	f      *feeder         // where blobs go, from Chunks
	fctx   context.Context // Chunks' context
	held   []heldBlob
	bytes  int64
	rest   []string
	err    error
	failed bool // nothing more is handed on
}

// blobJob is a blob to rebuild and where the walk first saw it.
type blobJob struct {
	id  string
	loc finding.Location
}

type heldBlob struct {
	job blobJob
	buf *[]byte
	kh  keywordHits
}

// startWalkReader takes the set's listing as it comes and rebuilds each new
// blob at once. It returns nil when the object directory is not one it
// reads.
func startWalkReader(ctx context.Context, s *changeSet) *walkReader {
	cb, ok := s.b.(cliBackend)
	if !ok || cb.objects == "" || !readWhileWalking {
		return nil
	}
	if fi, err := os.Stat(filepath.Join(cb.objects, "info", "alternates")); err == nil && fi.Size() > 0 {
		return nil
	}
	w := &walkReader{s: s, objects: cb.objects, seed: maphash.MakeSeed(),
		listed: make(chan struct{}), ready: make(chan struct{})}
	go func() {
		defer close(w.listed)
		w.listErr = s.takeListing(ctx, func(c change) error {
			if w.jobs == nil {
				w.start(ctx)
			}
			return w.offer(ctx, blobJob{c.blob, c.location()})
		})
	}()
	return w
}

// start opens the packs (at the first blob: an empty range opens nothing)
// and the goroutines that rebuild blobs.
func (w *walkReader) start(ctx context.Context) {
	set, err := openPackSet(w.objects)
	if err != nil {
		w.s.opts.Log.Debug().Err(err).Msg("packs left to git cat-file")
		set = &packSet{}
	}
	w.set = set
	for range w.s.opts.workers() {
		jobs := make(chan blobJob, 1024)
		w.jobs = append(w.jobs, jobs)
		w.wg.Add(1)
		go w.work(ctx, jobs)
	}
}

// offer queues a blob: the versions of one path go to one goroutine, whose
// cache then holds the bases their deltas share.
func (w *walkReader) offer(ctx context.Context, j blobJob) error {
	k := maphash.String(w.seed, j.loc.Path) % uint64(len(w.jobs))
	select {
	case w.jobs[k] <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (w *walkReader) work(ctx context.Context, jobs <-chan blobJob) {
	defer w.wg.Done()
	d := newIDDecoder(w.set)
	defer d.close()
	var zr io.ReadCloser
	br := bufio.NewReaderSize(nil, 32<<10)
	for j := range jobs {
		if ctx.Err() != nil || w.dropped() {
			continue
		}
		buf, err := w.read(d, j.id, &zr, br)
		if err != nil {
			w.mu.Lock()
			w.rest = append(w.rest, j.id)
			w.mu.Unlock()
			continue
		}
		var kh keywordHits
		if p := w.s.prefilter.Load(); p != nil && bytes.IndexByte((*buf)[:min(len(*buf), sniffLen)], 0) < 0 {
			kh = keywordHits{hits: p.Find(*buf, nil), known: true}
		}
		w.hand(ctx, heldBlob{j, buf, kh})
	}
	if zr != nil {
		zr.Close()
	}
}

// read rebuilds blob id, loose or packed.
func (w *walkReader) read(d *idDecoder, id string, zr *io.ReadCloser, br *bufio.Reader) (*[]byte, error) {
	buf, err := readLoose(filepath.Join(w.objects, id[:2], id[2:]), zr, br)
	if err == nil {
		return buf, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return d.blob(id)
}

// hand holds a rebuilt blob until Chunks is called, or hands it on once it
// has been. Past prefetchBytes it waits.
func (w *walkReader) hand(ctx context.Context, h heldBlob) {
	w.mu.Lock()
	for w.f == nil && !w.failed && w.bytes > prefetchBytes {
		w.mu.Unlock()
		select {
		case <-w.ready:
		case <-ctx.Done():
			putBuf(h.buf)
			return
		}
		w.mu.Lock()
	}
	switch {
	case w.failed:
		w.mu.Unlock()
		putBuf(h.buf)
	case w.f == nil:
		w.held = append(w.held, h)
		w.bytes += int64(cap(*h.buf))
		w.mu.Unlock()
	default:
		f, fctx := w.f, w.fctx
		w.mu.Unlock()
		w.feed(fctx, f, h)
	}
}

func (w *walkReader) feed(ctx context.Context, f *feeder, h heldBlob) {
	if ctx.Err() != nil {
		putBuf(h.buf)
		return
	}
	if err := f.owned(ctx, h.job.id, h.buf, []finding.Location{h.job.loc}, h.kh); err != nil {
		w.mu.Lock()
		if w.err == nil {
			w.err = err
		}
		w.mu.Unlock()
	}
}

// deliver hands on to f what was held, lets the goroutines hand on the
// rest themselves, and waits for the listing to end; it returns the blobs
// left for readIDs (in listing order) and the first error.
func (w *walkReader) deliver(ctx context.Context, f *feeder) ([]string, error) {
	late := *f
	late.locateLater = true
	w.mu.Lock()
	held := w.held
	w.held, w.f, w.fctx = nil, &late, ctx
	w.mu.Unlock()
	close(w.ready)
	for _, h := range held {
		w.feed(ctx, &late, h)
	}
	select {
	case <-w.listed:
	case <-ctx.Done(): // interrupted, or --timeout: end the walk now
		w.drop()
		w.s.stopList()
		<-w.listed
	}
	w.finish()
	if w.listErr != nil || ctx.Err() != nil {
		return nil, errors.Join(w.listErr, ctx.Err())
	}
	left := map[string]bool{}
	for _, id := range w.rest {
		left[id] = true
	}
	var rest []string
	for _, id := range w.s.order {
		if left[id] {
			rest = append(rest, id)
		}
	}
	return rest, w.err
}

// drop has the goroutines skip, or drop, what is left.
func (w *walkReader) drop() {
	w.mu.Lock()
	w.failed = true
	w.mu.Unlock()
}

func (w *walkReader) dropped() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.failed
}

// finish ends the goroutines once the last blob was offered, and closes
// the packs.
func (w *walkReader) finish() {
	for _, j := range w.jobs {
		close(j)
	}
	w.wg.Wait()
	if w.set != nil {
		w.set.close()
	}
}

// readEarly reads the range through its walkReader: what it rebuilt, then
// the rest as readIDs does.
func (s *changeSet) readEarly(ctx context.Context, w *walkReader, f *feeder) error {
	rest, err := w.deliver(ctx, f)
	if err != nil {
		return err
	}
	return s.readIDs(ctx, rest, f, func(id string) []finding.Location { return s.locs[id] })
}

// Locate returns where each content is, once Chunks has returned: a
// range's blobs read while it was walked come without their locations.
func (s *changeSet) Locate(_ context.Context, ids []string) (map[string][]finding.Location, error) {
	out := make(map[string][]finding.Location, len(ids))
	for _, id := range ids {
		if l, ok := s.locs[id]; ok {
			out[id] = l
		}
	}
	return out, nil
}

// takeListing adds the listing's changes to the set as they come, calling
// fresh for each blob seen first.
func (s *changeSet) takeListing(ctx context.Context, fresh func(change) error) error {
	for from := 0; ; {
		cs, done, err := s.queue.next(ctx, from)
		if err != nil {
			return err
		}
		from += len(cs)
		for _, c := range cs {
			if _, ok := s.locs[c.blob]; !ok {
				s.order = append(s.order, c.blob)
				if err := fresh(c); err != nil {
					return err
				}
			}
			s.locs[c.blob] = append(s.locs[c.blob], c.location())
		}
		if done {
			return nil
		}
	}
}
