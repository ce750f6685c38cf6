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
	if data, err, ok := b.fileInProcess(ctx, rev, path); ok {
		return data, err
	}
	out, err := b.g.output(ctx, "cat-file", "blob", rev+":"+path)
	if err != nil {
		return nil, fmt.Errorf("%s at %s: %w", path, rev, fs.ErrNotExist)
	}
	return []byte(out), nil
}

// fileInProcess reads path at rev from the object directory, without a git
// process per file (a run reads four configuration files from its base
// commit). ok is false when git must answer: the revision does not resolve,
// or an object is not one the in-process reader has.
func (b cliBackend) fileInProcess(ctx context.Context, rev, path string) ([]byte, error, bool) {
	if b.objects == "" {
		return nil, nil, false
	}
	id, err := b.commitID(ctx, rev)
	if err != nil {
		return nil, nil, false
	}
	o, err := openObjReader(b.objects)
	if err != nil {
		return nil, nil, false
	}
	defer o.close()
	data, err := o.fileAt(id, path)
	switch {
	case err == nil:
		return data, nil, true
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s at %s: %w", path, rev, fs.ErrNotExist), true
	}
	return nil, nil, false
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
