package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing/fstest"
	"time"

	"github.com/rs/zerolog"
)

// fileAtReader reads a file of a commit (source.Repo does).
type fileAtReader interface {
	FileAt(ctx context.Context, rev, path string) ([]byte, error)
}

// ErrOutside is returned for a file that is, or leads through a symlink to,
// a place outside the scanned tree.
var ErrOutside = errors.New("leads outside the scanned tree")

// Tree reads the files a scanned tree holds to configure its own scan:
// configuration, baselines, CODEOWNERS. Those files belong to what is being
// scanned: in a range run (a pull request) they are read from the range's
// base commit (Rev), never from the head the pull request controls; on disk,
// never through a symlink that leads out of the tree.
type Tree struct {
	Root string       // top of the scanned tree ("" for stdin: it holds no files)
	Repo fileAtReader // the scanned repository, for Rev
	Rev  string       // read files inside Root from this commit ("" from disk)
	Log  zerolog.Logger
}

// Inside reports whether path lies within the tree (after resolving
// symlinks). A tree without a root holds nothing.
func (t Tree) Inside(path string) bool {
	return t.Root != "" && inside(path, t.Root)
}

// Read returns the content of a file the user named, or, when path is empty,
// the tree's own file called name at its root. It returns nil data and no
// error when there is none. own says the file lies inside the tree.
func (t Tree) Read(ctx context.Context, path, name, what string) (data []byte, used string, own bool, err error) {
	explicit := path != ""
	if !explicit {
		if t.Root == "" {
			return nil, "", false, nil
		}
		path = filepath.Join(t.Root, name)
	}
	if explicit && !t.Inside(path) {
		data, err = os.ReadFile(path)
		if err != nil {
			return nil, "", false, fmt.Errorf("%s: %w", what, err)
		}
		return data, path, false, nil
	}
	data, err = t.readOwn(ctx, path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && (!explicit || t.Rev != ""):
		if t.Rev != "" && (explicit || exists(path)) {
			t.Log.Warn().Str("file", path).Str("base", t.Rev).
				Msgf("the %s is not in the range's base commit; it is not used (a pull request cannot bring its own)", what)
		}
		return nil, "", true, nil
	case errors.Is(err, ErrOutside):
		t.Log.Warn().Str("file", path).Msgf("the %s is not used: it is a symlink that leads outside the scanned tree", what)
		return nil, "", true, nil
	case err != nil:
		return nil, "", true, fmt.Errorf("%s: %w", what, err)
	}
	if t.Rev != "" {
		t.Log.Info().Str("file", path).Str("base", t.Rev).Msgf("%s read from the range's base commit", what)
	}
	return data, path, true, nil
}

// readOwn reads a file inside the tree: from Rev when set, else from disk
// unless a symlink leads out of the tree.
func (t Tree) readOwn(ctx context.Context, path string) ([]byte, error) {
	rel, err := t.rel(path)
	if err != nil {
		return nil, err
	}
	if t.Rev != "" {
		return t.Repo.FileAt(ctx, t.Rev, rel)
	}
	full := filepath.Join(t.Root, filepath.FromSlash(rel))
	if !staysInside(full, t.Root) {
		return nil, fmt.Errorf("%s %w", rel, ErrOutside)
	}
	return os.ReadFile(full)
}

// rel returns path relative to the tree's root, slash-separated, without
// resolving the final symlink (so that a link is judged, not followed).
func (t Tree) rel(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	root, err := filepath.Abs(t.Root)
	if err != nil {
		return "", err
	}
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	if d, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		abs = filepath.Join(d, filepath.Base(abs))
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s %w", path, ErrOutside)
	}
	return filepath.ToSlash(rel), nil
}

// FS returns the tree's files named in names as a file system (the files
// that exist and may be read; the rest are absent), for readers that take an
// fs.FS such as CODEOWNERS.
func (t Tree) FS(ctx context.Context, names ...string) (fs.FS, error) {
	m := fstest.MapFS{}
	if t.Root == "" {
		return m, nil
	}
	for _, n := range names {
		data, err := t.readOwn(ctx, filepath.Join(t.Root, filepath.FromSlash(n)))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case errors.Is(err, ErrOutside):
			t.Log.Warn().Str("file", n).Msg("not read: it is a symlink that leads outside the scanned tree")
			continue
		case err != nil:
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		m[n] = &fstest.MapFile{Data: data, Mode: 0o644, ModTime: time.Time{}}
	}
	return m, nil
}

// inside reports whether path lies within dir (after resolving both).
func inside(path, dir string) bool {
	p, err1 := filepath.Abs(path)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return true // when in doubt, distrust
	}
	if rp, err := filepath.EvalSymlinks(p); err == nil {
		p = rp
	} else if rp, err := filepath.EvalSymlinks(filepath.Dir(p)); err == nil {
		p = filepath.Join(rp, filepath.Base(p))
	}
	if rd, err := filepath.EvalSymlinks(d); err == nil {
		d = rd
	}
	rel, err := filepath.Rel(d, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// staysInside reports whether path, with every symlink resolved, is still
// within root. A path that does not exist stays inside (reading it fails).
func staysInside(path, root string) bool {
	r, err := filepath.EvalSymlinks(path)
	if err != nil {
		return true
	}
	rr, err := filepath.EvalSymlinks(root)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(rr, r)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// DiskTree is the tree of a directory (or a file) scanned from disk. One
// file has no tree of its own to configure the scan.
func DiskTree(root string, log zerolog.Logger) Tree {
	if fi, err := os.Stat(root); err == nil && !fi.IsDir() {
		root = ""
	}
	return Tree{Root: root, Log: log}
}
