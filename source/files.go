package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/go-git/go-git/v5"
)

// Root returns the top directory of the repository's work tree, or "" for a
// bare repository.
func (r *Repo) Root(ctx context.Context) string { return r.b.toplevel(ctx) }

// FileAt returns the content of path (relative to the repository's root,
// slash-separated) in commit rev. A path the commit does not hold gives an
// error that wraps fs.ErrNotExist. Callers read configuration this way from a
// trusted commit (a pull request's base) rather than from the work tree.
func (r *Repo) FileAt(ctx context.Context, rev, path string) ([]byte, error) {
	if strings.HasPrefix(rev, "-") {
		return nil, fmt.Errorf("revision %q cannot start with '-'", rev)
	}
	return r.b.fileAt(ctx, rev, path)
}

func (b cliBackend) toplevel(ctx context.Context) string {
	if b.top != "" || b.objects != "" {
		return b.top // OpenRepo asked git already
	}
	out, err := b.g.output(ctx, "rev-parse", "--show-toplevel")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(out)
}

func (b cliBackend) fileAt(ctx context.Context, rev, path string) ([]byte, error) {
	out, err := b.g.output(ctx, "cat-file", "blob", rev+":"+path)
	if err != nil {
		return nil, fmt.Errorf("%s at %s: %w", path, rev, fs.ErrNotExist)
	}
	return []byte(out), nil
}

func (b goGit) toplevel(context.Context) string { return b.root }

func (b goGit) fileAt(ctx context.Context, rev, path string) ([]byte, error) {
	repo, done, err := b.open()
	if err != nil {
		return nil, err
	}
	defer done()
	h, err := resolveCommit(repo, rev)
	if err != nil {
		return nil, fmt.Errorf("%q is not a commit in this repository: %w", rev, err)
	}
	c, err := repo.CommitObject(h)
	if err != nil {
		return nil, err
	}
	f, err := c.File(path)
	if err != nil {
		return nil, fmt.Errorf("%s at %s: %w", path, rev, errors.Join(fs.ErrNotExist, err))
	}
	rd, err := f.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return io.ReadAll(rd)
}

// worktreeRoot returns the root of r's work tree, "" when it has none.
func worktreeRoot(r *git.Repository) string {
	wt, err := r.Worktree()
	if err != nil {
		return ""
	}
	return wt.Filesystem.Root()
}
