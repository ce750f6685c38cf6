package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/scanner-dev/scanner/finding"
)

// ErrNotRepository is returned by OpenRepo for a path that holds no git
// repository.
var ErrNotRepository = errors.New("not a git repository")

// Repo is a git repository opened for scanning.
type Repo struct {
	path string
	b    backend
	opts Options
}

// OpenRepo opens the repository at path (a work tree, a directory inside
// one, or a bare repository). It uses the git binary when there is one, and
// go-git otherwise.
func OpenRepo(ctx context.Context, path string, opts Options) (*Repo, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open repository: %w", err)
	}
	bin := gitBinary()
	if bin == "" {
		b, err := openGoGit(path)
		if err != nil {
			return nil, err
		}
		return &Repo{path: path, b: b, opts: opts}, nil
	}
	g := &gitCmd{bin: bin, dir: path}
	b := cliBackend{g: g, readers: min(opts.workers(), 4), revs: &sync.Map{}}
	if gitDir, objects, top, ok := discover(path); ok {
		b.gitDir, b.objects, b.top = gitDir, objects, top
		return &Repo{path: path, b: b, opts: opts}, nil
	}
	out, err := g.output(ctx, "rev-parse", "--absolute-git-dir", "--show-object-format", "--git-path", "objects", "--show-cdup")
	if err != nil {
		if strings.Contains(err.Error(), "not a git repository") {
			return nil, fmt.Errorf("%s: %w", path, ErrNotRepository)
		}
		return nil, fmt.Errorf("open repository %s: %w", path, err)
	}
	b.gitDir, b.objects, b.top = parseOpen(path, out)
	return &Repo{path: path, b: b, opts: opts}, nil
}

// parseOpen reads OpenRepo's rev-parse answer (git dir, object format,
// objects path, then the way up to the work tree's root when there is a
// work tree): the git directory and the object directory (both "" when the
// in-process reader must leave them to git: another object format), and
// the work tree's root ("" for none).
func parseOpen(path, revParse string) (gitDir, objects, top string) {
	f := strings.Split(strings.TrimSuffix(revParse, "\n"), "\n")
	if len(f) < 3 {
		return "", "", ""
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", "", ""
	}
	if len(f) == 4 {
		top = filepath.Join(abs, f[3])
	}
	if f[1] != "sha1" {
		return "", "", top
	}
	if filepath.IsAbs(f[2]) {
		return f[0], f[2], top
	}
	return f[0], filepath.Join(abs, f[2]), top
}

// warnBroken logs an object that could not be read and counts it.
func warnBroken(opts Options, c *counters) func(string, error) {
	return func(id string, err error) {
		c.warnings.Add(1)
		if len(id) == 40 && isHex(id) {
			c.corrupt.Add(1) // git had it, and died reading it
		}
		opts.Log.Warn().Str("object", id).Err(err).Msg("could not read a git object; the scan goes on without it")
	}
}

// warnCorrupt logs an object whose stored bytes are damaged and counts it.
func warnCorrupt(opts Options, c *counters) func(string, error) {
	return func(id string, err error) {
		c.warnings.Add(1)
		c.corrupt.Add(1)
		opts.Log.Warn().Str("object", id).Err(err).Msg("corrupt git object (its stored bytes are damaged); the scan goes on without it")
	}
}

// feedObject hands a blob from a backend to the feeder, skipping other
// objects and warning about missing ones.
func (r *Repo) feedObject(ctx context.Context, f *feeder, locs func(id string) []finding.Location) func(object, io.Reader) error {
	return func(o object, body io.Reader) error {
		switch o.typ {
		case "blob":
		case "missing":
			f.stats.warnings.Add(1)
			if r.looseExists(o.id) {
				// git calls a loose object it cannot parse "missing"
				f.stats.corrupt.Add(1)
				r.opts.Log.Warn().Str("object", o.id).Msg("corrupt git object (its stored bytes are damaged); the scan goes on without it")
				return nil
			}
			f.stats.missing.Add(1)
			r.opts.Log.Warn().Str("object", o.id).Msg("blob missing from the repository (partial or shallow clone?)")
			return nil
		default:
			return nil
		}
		var l []finding.Location
		if locs != nil {
			l = locs(o.id)
		}
		err := f.content(ctx, o.id, o.size, body, l)
		if errors.Is(err, errSkipped) {
			return nil
		}
		return err
	}
}

// ReadBlobs reads blobs by id as chunks without Locations.
func (r *Repo) ReadBlobs(ctx context.Context, ids []string, fn func(finding.Chunk) error) error {
	var c counters
	pool, pctx := newWorkerPool(ctx, r.opts.workers(), fn)
	f := &feeder{opts: r.opts, pool: pool, stats: &c}
	err := r.readIDs(pctx, ids, f, nil)
	return pool.wait(err)
}

// warnShallow tells the user what a shallow clone means for attribution.
func (r *Repo) warnShallow(ctx context.Context, c *counters) {
	if r.b.shallow(ctx) {
		c.warnings.Add(1)
		r.opts.Log.Warn().Str("repository", r.path).
			Msg("shallow clone: history before the boundary is missing, and what the boundary commits hold is attributed to them; fetch with --unshallow for full attribution")
	}
}

// looseExists reports whether the object directory has a loose file for id.
func (r *Repo) looseExists(id string) bool {
	cb, ok := r.b.(cliBackend)
	if !ok || cb.objects == "" || len(id) < 3 {
		return false
	}
	_, err := os.Stat(filepath.Join(cb.objects, id[:2], id[2:]))
	return err == nil
}
