package source

import (
	"bufio"
	"context"
	"errors"
	"io"
	"path/filepath"

	"github.com/scanner-dev/scanner/finding"
)

// readIDs reads the listed blobs: loose objects in-process (what a commit
// or the index has just written: staged blobs), the rest with git cat-file
// (which may fetch them from a promisor remote). Reading packed objects by
// id in-process measured no faster than cat-file on git/git's range scans,
// and loading git/git's 12 MB index made staged scans slower. locs, when not
// nil, gives each blob's locations.
func (r *Repo) readIDs(ctx context.Context, ids []string, f *feeder, locs func(string) []finding.Location) error {
	cb, ok := r.b.(cliBackend)
	if !ok || cb.objects == "" {
		return r.b.readBlobs(ctx, ids, r.feedObject(ctx, f, locs), warnBroken(r.opts, f.stats))
	}
	var rest []string
	var zr io.ReadCloser
	br := bufio.NewReaderSize(nil, 32<<10)
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return err
		}
		if len(id) != 40 || !isHex(id) {
			rest = append(rest, id)
			continue
		}
		buf, err := readLoose(filepath.Join(cb.objects, id[:2], id[2:]), &zr, br)
		switch {
		case errors.Is(err, errNotBlob):
			continue
		case errors.Is(err, errCorruptObject):
			warnCorrupt(r.opts, f.stats)(id, err)
			continue
		case err != nil: // packed, or not here: git reads it
			rest = append(rest, id)
			continue
		}
		var l []finding.Location
		if locs != nil {
			l = locs(id)
		}
		if err := f.owned(ctx, id, buf, l, keywordHits{}); err != nil {
			return err
		}
	}
	if zr != nil {
		zr.Close()
	}
	if len(rest) == 0 {
		return nil
	}
	return r.b.readBlobs(ctx, rest, r.feedObject(ctx, f, locs), warnBroken(r.opts, f.stats))
}
