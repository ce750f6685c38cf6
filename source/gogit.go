package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	gitobject "github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/memory"
)

// goGitCache is the size of the object cache of one go-git operation (delta
// bases and recently read objects).
const goGitCache = 64 * cache.MiByte

// goGit reads git with go-git: repositories on machines without a git
// binary, and repositories held in memory.
type goGit struct {
	// open returns the repository for one operation, and what to call when
	// the operation is done.
	open func() (*git.Repository, func(), error)
	// bare is true for a repository without a work tree, hence no index.
	bare bool
	// root is the top of the work tree ("" when bare or in memory).
	root string
}

// openGoGit opens a repository with go-git, for machines without a git
// binary: a work tree, a directory inside one, or a bare repository.
func openGoGit(path string) (backend, error) {
	opts := &git.PlainOpenOptions{EnableDotGitCommonDir: true}
	r, err := git.PlainOpenWithOptions(path, opts) // a bare repository or a work tree's root
	if errors.Is(err, git.ErrRepositoryNotExists) {
		opts.DetectDotGit = true // a directory inside a work tree
		r, err = git.PlainOpenWithOptions(path, opts)
	}
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, fmt.Errorf("%s: %w", path, ErrNotRepository)
	}
	if err != nil {
		return nil, fmt.Errorf("open repository %s with go-git: %w", path, err)
	}
	b := newGoGit(r)
	b.root = worktreeRoot(r)
	return b, nil
}

// NewGoGitRepo returns a Repo that reads r with go-git, so that a repository
// the caller holds (typically in memory storage, built or cloned with go-git)
// can be scanned like one on disk. name identifies the repository in
// warnings. r must not be written to while a scan runs; a Repo on memory
// storage reads it from several goroutines at once, which go-git's memory
// storage allows.
func NewGoGitRepo(r *git.Repository, name string, opts Options) *Repo {
	return &Repo{path: name, b: newGoGit(r), opts: opts}
}

// newGoGit wraps r for concurrent operations (History counts commits while it
// reads blobs). A filesystem storage is not safe for concurrent use, so each
// operation gets its own storage on the same directory; memory storage is
// shared; any other storage is shared one operation at a time.
func newGoGit(r *git.Repository) goGit {
	_, err := r.Worktree()
	bare := errors.Is(err, git.ErrIsBareRepository)
	switch st := r.Storer.(type) {
	case *filesystem.Storage:
		dot := st.Filesystem()
		return goGit{bare: bare, open: func() (*git.Repository, func(), error) {
			fs := filesystem.NewStorageWithOptions(dot, cache.NewObjectLRU(goGitCache),
				filesystem.Options{LargeObjectThreshold: WindowSize})
			repo, err := git.Open(fs, nil)
			if err != nil {
				_ = fs.Close()
				return nil, nil, fmt.Errorf("open repository storage with go-git: %w", err)
			}
			return repo, func() { _ = fs.Close() }, nil
		}}
	case *memory.Storage:
		return goGit{bare: bare, open: func() (*git.Repository, func(), error) { return r, func() {}, nil }}
	default:
		var mu sync.Mutex
		return goGit{bare: bare, open: func() (*git.Repository, func(), error) {
			mu.Lock()
			return r, mu.Unlock, nil
		}}
	}
}

// objectReadError is an object that could not be read, as opposed to an
// error of the callback that was reading it.
type objectReadError struct{ err error }

func (e *objectReadError) Error() string { return e.err.Error() }
func (e *objectReadError) Unwrap() error { return e.err }

// trackedReader remembers the first error of the reader it wraps other than
// io.EOF, so that a broken object is told from a failing callback.
type trackedReader struct {
	r   io.Reader
	err error
}

func (t *trackedReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err != nil && err != io.EOF && t.err == nil {
		t.err = err
	}
	return n, err
}

// emitObject hands one object to fn with a reader of its content. An object
// that cannot be read comes back as an *objectReadError.
func emitObject(o plumbing.EncodedObject, fn func(object, io.Reader) error) error {
	rc, err := o.Reader()
	if err != nil {
		return &objectReadError{err}
	}
	defer func() { _ = rc.Close() }()
	body := &trackedReader{r: rc}
	err = fn(object{id: o.Hash().String(), typ: o.Type().String(), size: o.Size()}, body)
	if body.err != nil {
		return &objectReadError{body.err}
	}
	return err
}

// emitOrReport emits o, reporting it to onBroken if it cannot be read.
func emitOrReport(o plumbing.EncodedObject, fn func(object, io.Reader) error, onBroken func(string, error)) error {
	err := emitObject(o, fn)
	var re *objectReadError
	if errors.As(err, &re) {
		onBroken(o.Hash().String(), re.err)
		return nil
	}
	return err
}

func (b goGit) allBlobs(ctx context.Context, fn func(object, io.Reader) error, onBroken func(string, error)) error {
	repo, done, err := b.open()
	if err != nil {
		return err
	}
	defer done()
	seen := map[plumbing.Hash]bool{}
	iter, err := repo.Storer.IterEncodedObjects(plumbing.BlobObject)
	if err != nil {
		return fmt.Errorf("list the blobs of the repository: %w", err)
	}
	defer iter.Close()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		o, err := iter.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			// An object the iterator could not read: list every object and
			// read the ones not yet seen one by one.
			onBroken("(bulk read)", err)
			return b.readUnseen(ctx, repo.Storer, seen, fn, onBroken)
		}
		if seen[o.Hash()] { // an object in more than one pack
			continue
		}
		seen[o.Hash()] = true
		if err := emitOrReport(o, fn, onBroken); err != nil {
			return err
		}
	}
}

// readUnseen reads, one by one, the blobs of the object storage that are not
// in seen, stepping over objects it cannot read.
func (b goGit) readUnseen(ctx context.Context, st storer.EncodedObjectStorer, seen map[plumbing.Hash]bool, fn func(object, io.Reader) error, onBroken func(string, error)) error {
	ids, err := listObjects(st)
	if err != nil && len(ids) == 0 {
		return fmt.Errorf("after a failed bulk read: list objects: %w", err)
	}
	for _, h := range ids {
		if err := ctx.Err(); err != nil {
			return err
		}
		if seen[h] {
			continue
		}
		seen[h] = true
		o, err := st.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			onBroken(h.String(), err)
			continue
		}
		if o.Type() != plumbing.BlobObject {
			continue
		}
		if err := emitOrReport(o, fn, onBroken); err != nil {
			return err
		}
	}
	return nil
}

// listObjects lists the id of every object of the storage without reading
// the objects, so that a broken one does not stop the listing.
func listObjects(st storer.EncodedObjectStorer) ([]plumbing.Hash, error) {
	var ids []plumbing.Hash
	add := func(h plumbing.Hash) error { ids = append(ids, h); return nil }
	fs, ok := st.(*filesystem.Storage)
	if !ok {
		if each, ok := st.(interface {
			ForEachObjectHash(func(plumbing.Hash) error) error
		}); ok {
			err := each.ForEachObjectHash(add)
			return ids, err
		}
		iter, err := st.IterEncodedObjects(plumbing.AnyObject)
		if err != nil {
			return nil, err
		}
		err = iter.ForEach(func(o plumbing.EncodedObject) error { return add(o.Hash()) })
		return ids, err
	}
	err := fs.ForEachObjectHash(add) // loose objects
	packs, perr := fs.ObjectPacks()
	if perr != nil {
		return ids, errors.Join(err, perr)
	}
	for _, p := range packs {
		if perr := packObjects(fs, p, add); perr != nil {
			err = errors.Join(err, perr)
		}
	}
	return ids, err
}

// packObjects calls add with every object id of a pack's index.
func packObjects(fs *filesystem.Storage, pack plumbing.Hash, add func(plumbing.Hash) error) (err error) {
	f, err := fs.Filesystem().Open(fs.Filesystem().Join("objects", "pack", "pack-"+pack.String()+".idx"))
	if err != nil {
		return fmt.Errorf("open the index of pack %s: %w", pack, err)
	}
	defer func() { _ = f.Close() }()
	idx := idxfile.NewMemoryIndex()
	if err := idxfile.NewDecoder(f).Decode(idx); err != nil {
		return fmt.Errorf("read the index of pack %s: %w", pack, err)
	}
	entries, err := idx.Entries()
	if err != nil {
		return fmt.Errorf("read the index of pack %s: %w", pack, err)
	}
	defer func() { _ = entries.Close() }()
	for {
		e, err := entries.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read the index of pack %s: %w", pack, err)
		}
		_ = add(e.Hash)
	}
}

func (b goGit) readBlobs(ctx context.Context, ids []string, fn func(object, io.Reader) error, onBroken func(string, error)) error {
	repo, done, err := b.open()
	if err != nil {
		return err
	}
	defer done()
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return err
		}
		h, ok := parseID(id)
		var o plumbing.EncodedObject
		if ok {
			o, err = repo.Storer.EncodedObject(plumbing.AnyObject, h)
		}
		switch {
		case !ok || errors.Is(err, plumbing.ErrObjectNotFound):
			err = fn(object{id: id, typ: "missing"}, eofReader{})
		case err != nil:
			onBroken(id, err)
			continue
		default:
			err = emitOrReport(o, fn, onBroken)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// parseID parses a full hexadecimal object id.
func parseID(id string) (plumbing.Hash, bool) {
	if len(id) != 2*len(plumbing.ZeroHash) {
		return plumbing.ZeroHash, false
	}
	for _, c := range []byte(id) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return plumbing.ZeroHash, false
		}
	}
	return plumbing.NewHash(id), true
}

func (b goGit) countCommits(ctx context.Context, spec string) (int64, error) {
	repo, done, err := b.open()
	if err != nil {
		return 0, err
	}
	defer done()
	w, err := newRevWalk(repo, spec)
	if err != nil {
		return 0, err
	}
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		c, err := w.next()
		if err != nil || c == nil {
			return n, err
		}
		n++
	}
}

func (b goGit) verify(ctx context.Context, rev string) error {
	repo, done, err := b.open()
	if err != nil {
		return err
	}
	defer done()
	if _, err := resolveCommit(repo, rev); err != nil {
		return fmt.Errorf("%q is not a commit in this repository: %w", rev, err)
	}
	return nil
}

func (b goGit) shallow(ctx context.Context) bool {
	repo, done, err := b.open()
	if err != nil {
		return false
	}
	defer done()
	hs, err := repo.Storer.Shallow()
	return err == nil && len(hs) > 0
}

func (b goGit) staged(ctx context.Context, fn func(change) error) error {
	return b.withIndex(func(repo *git.Repository, idx *index.Index) error {
		head, err := headTree(repo)
		if err != nil {
			return err
		}
		return stagedAgainst(ctx, repo, head, stagedEntries(idx), fn)
	})
}

// stagedAgainst reports the entries that differ from the tree head: the
// index and the tree are both in path order, so they are walked together.
func stagedAgainst(ctx context.Context, repo *git.Repository, head plumbing.Hash, entries []*index.Entry, fn func(change) error) error {
	emit := func(e *index.Entry, prior []string) error {
		return fn(change{path: e.Name, blob: e.Hash.String(), prior: prior})
	}
	k := 0
	err := newTrees(repo.Storer).files("", head, func(path string, he *gitobject.TreeEntry) error {
		for ; k < len(entries) && entries[k].Name < path; k++ {
			if err := emit(entries[k], nil); err != nil {
				return err
			}
		}
		if k < len(entries) && entries[k].Name == path {
			e := entries[k]
			k++
			if e.Hash != he.Hash { // a mode change adds no content
				return emit(e, []string{he.Hash.String()})
			}
		}
		return ctx.Err()
	})
	for ; err == nil && k < len(entries); k++ {
		err = emit(entries[k], nil)
	}
	return err
}

// stagedEntries returns the index entries that can be staged content, in
// path order: merged entries (stage 0, not a conflict's stages 1 to 3; go-git's
// index.Merged constant is 1, so it is not used) that are not submodules,
// sparse directories, or placeholders of git add -N.
func stagedEntries(idx *index.Index) []*index.Entry {
	var out []*index.Entry
	for _, e := range idx.Entries {
		if e.Stage != 0 || e.IntentToAdd || e.Mode == filemode.Submodule || e.Mode == filemode.Dir {
			continue
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b *index.Entry) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// headTree returns the tree of HEAD's commit, the zero id when HEAD names no
// commit yet.
func headTree(repo *git.Repository) (plumbing.Hash, error) {
	ref, err := repo.Head()
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return plumbing.ZeroHash, nil
	}
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("resolve HEAD: %w", err)
	}
	c, err := gitobject.GetCommit(repo.Storer, ref.Hash())
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read HEAD's commit %s: %w", ref.Hash(), err)
	}
	return c.TreeHash, nil
}
