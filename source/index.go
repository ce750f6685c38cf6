package source

import (
	"bufio"
	"context"
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/format/index"
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
		return treeEntries(r, func(f []string, path string) error {
			if len(f) != 3 || f[2] != "0" || f[0] == "160000" {
				return nil // unmerged entries, submodules
			}
			return fn(change{path: path, blob: f[1]})
		})
	}, "ls-files", "-s", "-z")
}

func (b goGit) index(ctx context.Context, fn func(change) error) error {
	return b.withIndex(func(_ *git.Repository, idx *index.Index) error {
		for _, e := range stagedEntries(idx) {
			if err := fn(change{path: e.Name, blob: e.Hash.String()}); err != nil {
				return err
			}
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		return nil
	})
}

// withIndex opens the repository and reads its index for fn.
func (b goGit) withIndex(fn func(*git.Repository, *index.Index) error) error {
	if b.bare {
		return errors.New("a bare repository has no index")
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
	return fn(repo, idx)
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
