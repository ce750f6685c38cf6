package source

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/scanner-dev/scanner/finding"
)

// Dir is the files under a directory (or one file). Symbolic links below the
// root are not followed (the root itself is) and .git directories are left
// out.
type Dir struct {
	root string
	opts Options
	c    counters
}

// NewDir returns the source of the files under root. It fails when root
// cannot be read.
func NewDir(root string, opts Options) (*Dir, error) {
	if _, err := os.Stat(root); err != nil {
		return nil, fmt.Errorf("scan %s: %w", root, err)
	}
	return &Dir{root: root, opts: opts}, nil
}

// Chunks walks the tree and reads each regular file. A file or directory that
// cannot be read is a warning, not a failure.
func (d *Dir) Chunks(ctx context.Context, fn func(finding.Chunk) error) error {
	pool, pctx := newWorkerPool(ctx, d.opts.workers(), fn)
	f := &feeder{opts: d.opts, pool: pool, stats: &d.c}
	root := d.root
	if fi, err := os.Stat(root); err == nil && fi.IsDir() {
		root += string(filepath.Separator) // a link given as the root is followed
	}
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				return err
			}
			d.warn(path, err)
			return nil
		}
		if pctx.Err() != nil {
			return pctx.Err()
		}
		switch {
		case e.IsDir() && e.Name() == ".git" && path != root:
			return filepath.SkipDir
		case e.Type()&fs.ModeSymlink != 0 && path == root:
			return d.file(pctx, f, path) // a link to one file, given as the root
		case e.Type()&fs.ModeSymlink != 0:
			d.opts.Log.Debug().Str("path", path).Msg("symbolic link not followed")
			return nil
		case !e.Type().IsRegular():
			return nil
		}
		return d.file(pctx, f, path)
	})
	return pool.wait(err)
}

func (d *Dir) file(ctx context.Context, f *feeder, path string) error {
	rel := d.rel(path)
	fh, err := os.Open(path)
	if err != nil {
		d.warn(path, err)
		return nil
	}
	defer fh.Close()
	info, err := fh.Stat()
	if err != nil {
		d.warn(path, err)
		return nil
	}
	err = f.content(ctx, rel, info.Size(), fh, []finding.Location{{Path: rel}})
	switch {
	case errors.Is(err, errSkipped):
		return nil
	case err != nil && ctx.Err() == nil:
		d.warn(path, err)
		return nil
	}
	return err
}

// rel returns path relative to the root, with forward slashes; a root that is
// itself a file is reported as given.
func (d *Dir) rel(path string) string {
	r, err := filepath.Rel(d.root, path)
	if err != nil || r == "." {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(r)
}

func (d *Dir) warn(path string, err error) {
	d.c.warnings.Add(1)
	d.opts.Log.Warn().Str("path", path).Err(err).Msg("could not read; the scan goes on without it")
}

// Stats returns what Chunks read.
func (d *Dir) Stats() finding.Stats { return d.c.stats() }
