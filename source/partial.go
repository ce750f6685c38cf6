package source

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
)

// ErrNoBlobs is returned by History.Chunks when the history references
// blobs and none of them could be read: a partial clone whose promisor
// remote cannot be reached, say. A scan of nothing must not pass.
var ErrNoBlobs = errors.New("none of the history's blobs could be read")

// fetchBatch is how many missing objects one git fetch asks for.
const fetchBatch = 20_000

// maxFetchRounds bounds the rounds of fetching: a tree fetched from a
// tree-less partial clone can name blobs that are missing in turn.
const maxFetchRounds = 4

// promisorRemote returns the remote a partial clone fetches missing objects
// from, "" when the repository is not a partial clone.
func (b cliBackend) promisorRemote(ctx context.Context) string {
	if b.objects != "" {
		if m, _ := filepath.Glob(filepath.Join(b.objects, "pack", "*.promisor")); len(m) == 0 {
			return ""
		}
	}
	out, err := b.g.output(ctx, "config", "--get-regexp", `^(extensions\.partialclone|remote\..*\.promisor)$`)
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(out, "\n") {
		key, val, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch {
		case strings.EqualFold(key, "extensions.partialclone") && val != "":
			return val
		case strings.HasSuffix(key, ".promisor") && val == "true":
			return strings.TrimSuffix(strings.TrimPrefix(key, "remote."), ".promisor")
		}
	}
	return ""
}

// missingObjects lists the objects the history references that the
// repository does not have, without fetching any.
func (b cliBackend) missingObjects(ctx context.Context) ([]string, error) {
	var ids []string
	err := b.g.stream(ctx, nil, func(r *bufio.Reader) error {
		for {
			line, err := r.ReadString('\n')
			if strings.HasPrefix(line, "?") {
				ids = append(ids, strings.TrimSpace(line[1:]))
			}
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
		}
	}, "rev-list", "--objects", "--all", "--missing=print")
	return ids, err
}

// fetchObjects asks the promisor remote for ids, as git's own lazy fetch
// does, but in one request.
func (b cliBackend) fetchObjects(ctx context.Context, remote string, ids []string) error {
	cmd := b.g.command(ctx, "-c", "fetch.negotiationAlgorithm=noop", "fetch", "--no-tags", "--no-write-fetch-head",
		"--recurse-submodules=no", "--filter=blob:none", "--stdin", "--end-of-options", remote)
	cmd.Stdin = strings.NewReader(strings.Join(ids, "\n") + "\n")
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return gitError([]string{"fetch"}, err, stderr.String())
	}
	return nil
}

// completePartial reads, in a partial clone, the blobs the history
// references that the clone left on its promisor remote: it fetches them
// in batches, then reads them. What cannot be fetched is counted and named.
func (h *History) completePartial(ctx context.Context, f *feeder) error {
	cb, ok := h.b.(cliBackend)
	if !ok {
		return nil
	}
	remote := cb.promisorRemote(ctx)
	if remote == "" {
		return nil
	}
	done := map[string]bool{}
	var missing []string
	for round := 0; round < maxFetchRounds; round++ {
		ids, err := cb.missingObjects(ctx)
		if err != nil {
			return fmt.Errorf("partial clone: listing the missing objects: %w", err)
		}
		missing = missing[:0]
		for _, id := range ids {
			if !done[id] {
				missing = append(missing, id)
			}
		}
		if len(missing) == 0 {
			return nil
		}
		fetched, err := h.fetchAndRead(ctx, cb, f, remote, missing)
		for _, id := range fetched {
			done[id] = true
		}
		if err != nil || len(fetched) == 0 {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			h.warnMissing(remote, missing, err)
			return nil
		}
	}
	return nil
}

// fetchAndRead fetches ids in batches and reads the blobs among them,
// returning the ids it fetched.
func (h *History) fetchAndRead(ctx context.Context, cb cliBackend, f *feeder, remote string, ids []string) ([]string, error) {
	var fetched []string
	for start := 0; start < len(ids); start += fetchBatch {
		batch := ids[start:min(start+fetchBatch, len(ids))]
		h.opts.Log.Info().Str("remote", remote).Int("from", start+1).Int("to", start+len(batch)).Int("of", len(ids)).
			Msg("partial clone: fetching objects the history references from the promisor remote")
		if err := cb.fetchObjects(ctx, remote, batch); err != nil {
			return fetched, err
		}
		fetched = append(fetched, batch...)
	}
	n, err := readByID(ctx, cb, f, fetched, h.opts.workers(), warnCorrupt(h.opts, &h.c))
	h.c.fetched.Add(n)
	return fetched, err
}

// warnMissing counts and names the objects a partial clone could not get.
func (h *History) warnMissing(remote string, ids []string, err error) {
	h.c.missing.Add(int64(len(ids)))
	h.c.warnings.Add(1)
	named := ids[:min(len(ids), 10)]
	h.opts.Log.Warn().Err(err).Str("remote", remote).Int("missing", len(ids)).Strs("objects", named).
		Msg("partial clone: objects the history references are not in the repository and could not be fetched, so they were not scanned; " +
			"run the scan where the promisor remote can be reached, or scan a full clone (git fetch --refetch, or clone without --filter)")
}

// readByID reads the listed blobs from the object directory in-process,
// returning how many blobs it read; objects that are not blobs are skipped.
func readByID(ctx context.Context, cb cliBackend, f *feeder, ids []string, workers int, onCorrupt func(string, error)) (int64, error) {
	var n int64
	var mu sync.Mutex
	fn := func(id string, buf *[]byte, kh keywordHits) error {
		mu.Lock()
		n++
		mu.Unlock()
		return f.owned(ctx, id, buf, nil, kh)
	}
	s, err := openObjectStore(cb.objects)
	if errors.Is(err, errUnsupported) || cb.objects == "" {
		err = cb.readBlobs(ctx, ids, func(o object, body io.Reader) error {
			if o.typ != "blob" {
				return nil
			}
			n++
			if err := f.content(ctx, o.id, o.size, body, nil); !errors.Is(err, errSkipped) {
				return err
			}
			return nil
		}, onCorrupt)
		return n, err
	}
	if err != nil {
		return 0, err
	}
	defer s.close()
	return n, s.some(ctx, ids, workers, fn, onCorrupt)
}

// some reads the listed blobs of the store (absent ones are left out).
func (s *objectStore) some(ctx context.Context, ids []string, workers int, fn ownedFn, onCorrupt func(string, error)) error {
	want := make(map[[20]byte]bool, len(ids))
	for _, id := range ids {
		var raw [20]byte
		if _, err := hex.Decode(raw[:], []byte(id)); err == nil {
			want[raw] = true
		}
	}
	for _, p := range s.packs {
		var list []int32
		for i := range p.objs {
			if p.objs[i].typ == objBlob && want[p.ix.ids[i]] {
				delete(want, p.ix.ids[i])
				list = append(list, int32(i))
			}
		}
		if err := decodeStretches(ctx, p, list, workers, nil, fn, onCorrupt); err != nil {
			return err
		}
	}
	var loose []string
	for _, id := range s.loose {
		var raw [20]byte
		_, _ = hex.Decode(raw[:], []byte(id))
		if want[raw] {
			loose = append(loose, id)
		}
	}
	s.loose = loose
	return s.looseBlobs(ctx, nil, fn, onCorrupt)
}
