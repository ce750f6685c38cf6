package source

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Index returns the source of every file in the index, in full, as the
// next commit would hold it: what "pre-commit run --all-files" asks a hook
// to check. Unmerged entries and submodules are left out.
func (r *Repo) Index() Source {
	s := &changeSet{Repo: r}
	s.list = func(ctx context.Context, fn func(change) error) error {
		switch b := r.b.(type) {
		case cliBackend:
			return b.index(ctx, fn)
		case goGit:
			return b.index(ctx, fn)
		}
		return fmt.Errorf("index: unsupported backend %T", r.b)
	}
	return s
}

// index lists `git ls-files -s -z`: "mode blob stage\tpath" entries.
func (b cliBackend) index(ctx context.Context, fn func(change) error) error {
	return b.g.stream(ctx, nil, func(r *bufio.Reader) error {
		for {
			entry, err := r.ReadString(0)
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			meta, path, ok := strings.Cut(strings.TrimSuffix(entry, "\x00"), "\t")
			f := strings.Fields(meta)
			if !ok || len(f) != 3 || f[2] != "0" || f[0] == "160000" {
				continue
			}
			if err := fn(change{path: path, blob: f[1]}); err != nil {
				return err
			}
		}
	}, "ls-files", "-s", "-z")
}

func (b goGit) index(ctx context.Context, fn func(change) error) error {
	if b.bare {
		return errors.New("index: a bare repository has no index")
	}
	repo, done, err := b.open()
	if err != nil {
		return err
	}
	defer done()
	idx, err := repo.Storer.Index()
	if err != nil {
		return fmt.Errorf("read the index: %w", err)
	}
	for _, e := range stagedEntries(idx) {
		if err := fn(change{path: e.Name, blob: e.Hash.String()}); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// errFound stops a listing at its first entry.
var errFound = errors.New("found")

// HasStaged reports whether the index differs from HEAD (any entry, in a
// repository without commits).
func (r *Repo) HasStaged(ctx context.Context) (bool, error) {
	err := r.b.staged(ctx, func(change) error { return errFound })
	if errors.Is(err, errFound) {
		return true, nil
	}
	return false, err
}
