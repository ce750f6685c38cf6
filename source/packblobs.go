package source

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sync/errgroup"
)

// packDecoders is how many goroutines rebuild blobs from one pack: each
// takes a stretch of it. (A variable so that a benchmark can compare.)
var packDecoders = 0

// ownedFn receives a blob's content in a pooled buffer it now owns, and its
// keyword hits when a Prefilter found them.
type ownedFn func(id string, buf *[]byte, kh keywordHits) error

// objectStore is a repository's object directory as the in-process reader
// sees it: its packs and its loose objects.
type objectStore struct {
	dir   string
	packs []*pack
	loose []string // ids of loose objects
}

// openObjectStore opens every pack of dir and lists its loose objects. It
// returns errUnsupported for what it leaves to git: alternates, and packs
// it cannot parse.
func openObjectStore(dir string) (*objectStore, error) {
	if fi, err := os.Stat(filepath.Join(dir, "info", "alternates")); err == nil && fi.Size() > 0 {
		return nil, fmt.Errorf("alternates: %w", errUnsupported)
	}
	s := &objectStore{dir: dir}
	idxs, err := filepath.Glob(filepath.Join(dir, "pack", "*.idx"))
	if err != nil {
		return nil, err
	}
	for _, idx := range idxs {
		p, err := openPack(idx)
		if err != nil {
			// nothing was read yet: git reads it instead (a pack being
			// written or removed by a concurrent gc, a malformed one)
			s.close()
			return nil, fmt.Errorf("%w (%w)", err, errUnsupported)
		}
		s.packs = append(s.packs, p)
	}
	if s.loose, err = listLoose(dir); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

func (s *objectStore) close() {
	for _, p := range s.packs {
		p.close()
	}
}

// blobs rebuilds every blob of the store once, loose objects first, then
// each pack on workers goroutines, and hands each to fn. Objects that cannot
// be rebuilt go to onCorrupt and the read goes on.
//
// Loose objects are the commits since the last gc or push: the likeliest to
// hold a new secret, and a finding among them, read first, starts the walk
// that places it while the packs are still being read, not after.
func (s *objectStore) blobs(ctx context.Context, workers int, filter *Prefilter, fn ownedFn, onCorrupt func(string, error)) error {
	var seen map[[20]byte]bool
	if len(s.packs)+min(len(s.loose), 1) > 1 {
		seen = map[[20]byte]bool{}
	}
	if err := s.looseBlobs(ctx, seen, fn, onCorrupt); err != nil {
		return err
	}
	for _, p := range s.packs {
		var list []int32
		for i := range p.objs {
			if p.objs[i].typ != objBlob {
				continue
			}
			if seen != nil {
				if seen[p.ix.ids[i]] {
					continue
				}
				seen[p.ix.ids[i]] = true
			}
			list = append(list, int32(i))
		}
		if err := decodeStretches(ctx, p, list, workers, filter, fn, onCorrupt); err != nil {
			return err
		}
	}
	return nil
}

// decodeStretches cuts list into n stretches and decodes them at once.
func decodeStretches(ctx context.Context, p *pack, list []int32, n int, filter *Prefilter, fn ownedFn, onCorrupt func(string, error)) error {
	if packDecoders > 0 {
		n = packDecoders
	}
	n = max(1, min(n, len(list)/64))
	g, gctx := errgroup.WithContext(ctx)
	for k := range n {
		part := list[k*len(list)/n : (k+1)*len(list)/n]
		g.Go(func() error { return decodeStretch(gctx, p, part, filter, fn, onCorrupt) })
	}
	return g.Wait()
}

func decodeStretch(ctx context.Context, p *pack, list []int32, filter *Prefilter, fn ownedFn, onCorrupt func(string, error)) error {
	d := newDecoder(p, list, filter)
	defer d.release()
	var hexID [40]byte
	for _, i := range list {
		if err := ctx.Err(); err != nil {
			return err
		}
		hex.Encode(hexID[:], p.ix.ids[i][:])
		id := string(hexID[:])
		buf, kh, err := d.blob(i)
		if err != nil {
			if !errors.Is(err, errCorruptObject) && !errors.Is(err, errBadPack) {
				return fmt.Errorf("%s: %w", p.path, err)
			}
			onCorrupt(id, err)
			continue
		}
		if err := fn(id, buf, kh); err != nil {
			return err
		}
	}
	return nil
}

// packedBlobs reads every blob of the repository in-process. It returns
// errUnsupported, having read nothing, when git must do it instead.
func (b cliBackend) packedBlobs(ctx context.Context, workers int, filter *Prefilter, fn ownedFn, onCorrupt func(string, error)) error {
	if b.objects == "" {
		return errUnsupported
	}
	s, err := openObjectStore(b.objects)
	if err != nil {
		return err
	}
	defer s.close()
	return s.blobs(ctx, workers, filter, fn, onCorrupt)
}
