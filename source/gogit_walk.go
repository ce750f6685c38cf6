package source

import (
	"cmp"
	"container/heap"
	"context"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	gitobject "github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// maxTagDepth bounds the chain of tags peeled to reach a commit.
const maxTagDepth = 32

// revWalk lists the commits of a range once each, newest committer date
// first, as git log does.
type revWalk struct {
	st      storer.EncodedObjectStorer
	shallow map[plumbing.Hash]bool // commits whose parents are cut off
	exclude map[plumbing.Hash]bool // commits of the range's negative side
	seen    map[plumbing.Hash]bool
	queue   commitQueue
}

// newRevWalk starts a walk of spec: "" for every ref, "A..B" for the commits
// B reaches and A does not, "A...B" for those one of them reaches and not
// both, or a single revision for the commits it reaches. An empty side of a
// range means HEAD.
func newRevWalk(repo *git.Repository, spec string) (*revWalk, error) {
	w := &revWalk{st: repo.Storer, shallow: map[plumbing.Hash]bool{}, exclude: map[plumbing.Hash]bool{}, seen: map[plumbing.Hash]bool{}}
	cut, err := repo.Storer.Shallow()
	if err != nil {
		return nil, fmt.Errorf("read the shallow commits: %w", err)
	}
	for _, h := range cut {
		w.shallow[h] = true
	}
	tips, err := w.tips(repo, spec)
	if err != nil {
		return nil, err
	}
	for _, h := range tips {
		if err := w.push(h); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// tips resolves spec to the commits the walk starts from, and fills exclude.
func (w *revWalk) tips(repo *git.Repository, spec string) ([]plumbing.Hash, error) {
	if spec == "" {
		return refTips(repo)
	}
	base, head, ok := strings.Cut(spec, "..")
	if !ok {
		h, err := resolveCommit(repo, spec)
		if err != nil {
			return nil, fmt.Errorf("%q is not a commit in this repository: %w", spec, err)
		}
		return []plumbing.Hash{h}, nil
	}
	symmetric := strings.HasPrefix(head, ".")
	head = strings.TrimPrefix(head, ".")
	var ends [2]plumbing.Hash
	for i, rev := range []string{base, head} {
		if rev == "" {
			rev = "HEAD"
		}
		h, err := resolveCommit(repo, rev)
		if err != nil {
			return nil, fmt.Errorf("range %s: %q is not a commit in this repository: %w", spec, rev, err)
		}
		ends[i] = h
	}
	from, err := w.reach(ends[0])
	if err != nil {
		return nil, err
	}
	if !symmetric {
		w.exclude = from
		return ends[1:], nil
	}
	to, err := w.reach(ends[1])
	if err != nil {
		return nil, err
	}
	for h := range from { // what both reach
		if to[h] {
			w.exclude[h] = true
		}
	}
	return ends[:], nil
}

// refTips returns the commits of every ref and HEAD, tags peeled. Refs to
// other objects, or to nothing, are left out as git log --all leaves them.
func refTips(repo *git.Repository) ([]plumbing.Hash, error) {
	refs, err := repo.Storer.IterReferences()
	if err != nil {
		return nil, fmt.Errorf("list refs: %w", err)
	}
	var tips []plumbing.Hash
	err = refs.ForEach(func(ref *plumbing.Reference) error {
		if ref.Type() == plumbing.SymbolicReference {
			r, err := storer.ResolveReference(repo.Storer, ref.Name())
			if err != nil {
				return nil // unborn branch
			}
			ref = r
		}
		if h, ok := peelCommit(repo.Storer, ref.Hash()); ok {
			tips = append(tips, h)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list refs: %w", err)
	}
	return tips, nil
}

// peelCommit follows tags from h to a commit; ok is false when they lead to
// another kind of object or to none.
func peelCommit(st storer.EncodedObjectStorer, h plumbing.Hash) (plumbing.Hash, bool) {
	for range maxTagDepth {
		o, err := st.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			return h, false
		}
		switch o.Type() {
		case plumbing.CommitObject:
			return h, true
		case plumbing.TagObject:
			t, err := gitobject.DecodeTag(st, o)
			if err != nil {
				return h, false
			}
			h = t.Target
		default:
			return h, false
		}
	}
	return h, false
}

// resolveCommit resolves a revision to the commit it names.
func resolveCommit(repo *git.Repository, rev string) (plumbing.Hash, error) {
	h, err := repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return plumbing.ZeroHash, err
	}
	c, ok := peelCommit(repo.Storer, *h)
	if !ok {
		return plumbing.ZeroHash, fmt.Errorf("%s names no commit", h)
	}
	return c, nil
}

// parentsOf returns c's parents, none for a commit at a shallow boundary.
func (w *revWalk) parentsOf(c *gitobject.Commit) []plumbing.Hash {
	if w.shallow[c.Hash] {
		return nil
	}
	return c.ParentHashes
}

// reach returns every commit h reaches, h included.
func (w *revWalk) reach(h plumbing.Hash) (map[plumbing.Hash]bool, error) {
	out := map[plumbing.Hash]bool{h: true}
	stack := []plumbing.Hash{h}
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		c, err := gitobject.GetCommit(w.st, h)
		if err != nil {
			return nil, fmt.Errorf("read commit %s: %w", h, err)
		}
		for _, p := range w.parentsOf(c) {
			if !out[p] {
				out[p] = true
				stack = append(stack, p)
			}
		}
	}
	return out, nil
}

// push queues commit h unless it was queued before or is excluded.
func (w *revWalk) push(h plumbing.Hash) error {
	if w.seen[h] || w.exclude[h] {
		return nil
	}
	w.seen[h] = true
	c, err := gitobject.GetCommit(w.st, h)
	if err != nil {
		return fmt.Errorf("read commit %s: %w", h, err)
	}
	heap.Push(&w.queue, queued{c: c, seq: len(w.seen)})
	return nil
}

// next returns the next commit of the walk, nil at its end.
func (w *revWalk) next() (*gitobject.Commit, error) {
	if w.queue.Len() == 0 {
		return nil, nil
	}
	c := heap.Pop(&w.queue).(queued).c
	for _, p := range w.parentsOf(c) {
		if err := w.push(p); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// queued is a commit waiting in a walk; seq keeps the order of commits with
// the same date.
type queued struct {
	c   *gitobject.Commit
	seq int
}

// commitQueue is a heap of commits, newest committer date first.
type commitQueue []queued

func (q commitQueue) Len() int { return len(q) }
func (q commitQueue) Less(i, j int) bool {
	a, b := q[i].c.Committer.When, q[j].c.Committer.When
	if !a.Equal(b) {
		return a.After(b)
	}
	return q[i].seq < q[j].seq
}
func (q commitQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *commitQueue) Push(x any)   { *q = append(*q, x.(queued)) }
func (q *commitQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

func (b goGit) walk(ctx context.Context, spec string, targets []string, onCommit func(*commitInfo), fn func(change) error) error {
	if targets != nil && len(targets) == 0 {
		return nil
	}
	want := map[string]bool{}
	for _, t := range targets {
		want[t] = true
	}
	repo, done, err := b.open()
	if err != nil {
		return err
	}
	defer done()
	w, err := newRevWalk(repo, spec)
	if err != nil {
		return err
	}
	t := newTrees(repo.Storer)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		c, err := w.next()
		if err != nil || c == nil {
			return err
		}
		parents := w.parentsOf(c)
		info := &commitInfo{id: c.Hash.String(), parents: len(parents),
			author: c.Author.Name, email: c.Author.Email, date: c.Author.When}
		if onCommit != nil {
			onCommit(info)
		}
		err = t.commitChanges(c.TreeHash, parents, w.st, func(path string, blob plumbing.Hash, prior []string) error {
			id := blob.String()
			if targets != nil && !want[id] {
				return nil
			}
			return fn(change{commit: info, path: path, blob: id, prior: prior})
		})
		if err != nil {
			return fmt.Errorf("changes of commit %s: %w", c.Hash, err)
		}
	}
}

// maxCachedTrees bounds the decoded trees kept between diffs: a commit's
// trees are read again as its child's parent trees.
const maxCachedTrees = 4096

// trees reads the trees of a storage, decoding each on demand, and diffs them
// the way git log --raw -c does.
type trees struct {
	st    storer.EncodedObjectStorer
	cache map[plumbing.Hash]*gitobject.Tree
}

func newTrees(st storer.EncodedObjectStorer) *trees {
	return &trees{st: st, cache: map[plumbing.Hash]*gitobject.Tree{}}
}

// get returns tree h; the zero id is the empty tree.
func (t *trees) get(h plumbing.Hash) (*gitobject.Tree, error) {
	if h.IsZero() {
		return &gitobject.Tree{}, nil
	}
	if tr, ok := t.cache[h]; ok {
		return tr, nil
	}
	tr, err := gitobject.GetTree(t.st, h)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", h, err)
	}
	if len(t.cache) >= maxCachedTrees {
		clear(t.cache)
	}
	t.cache[h] = tr
	return tr, nil
}

// files calls fn for every entry under tree h that is not a tree, in git's
// order (which is the byte order of the full paths).
func (t *trees) files(prefix string, h plumbing.Hash, fn func(path string, e *gitobject.TreeEntry) error) error {
	tr, err := t.get(h)
	if err != nil {
		return err
	}
	for i := range tr.Entries {
		e := &tr.Entries[i]
		var err error
		if e.Mode == filemode.Dir {
			err = t.files(prefix+e.Name+"/", e.Hash, fn)
		} else {
			err = fn(prefix+e.Name, e)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// diffFn receives a blob (or symlink) of the new tree that the old one does
// not hold identically; old is the old tree's entry at that path, nil when it
// has none or a tree there.
type diffFn func(path string, old, cur *gitobject.TreeEntry) error

// diff compares trees a (old) and b (new) under prefix, skipping identical
// subtrees by id. Deletions, trees and submodule entries are not reported.
func (t *trees) diff(prefix string, a, b plumbing.Hash, fn diffFn) error {
	if a == b {
		return nil
	}
	ta, err := t.get(a)
	if err != nil {
		return err
	}
	tb, err := t.get(b)
	if err != nil {
		return err
	}
	i := 0
	for j := range tb.Entries {
		eb := &tb.Entries[j]
		for i < len(ta.Entries) && compareEntries(&ta.Entries[i], eb) < 0 {
			i++ // only in a: deleted
		}
		var ea *gitobject.TreeEntry
		if i < len(ta.Entries) && compareEntries(&ta.Entries[i], eb) == 0 {
			ea = &ta.Entries[i]
			i++
		}
		if err := t.entry(prefix, ea, eb, fn); err != nil {
			return err
		}
	}
	return nil
}

// entry reports what b, an entry of the new tree, changed against ea, the
// old tree's entry of the same name and kind (nil if there is none).
func (t *trees) entry(prefix string, ea, eb *gitobject.TreeEntry, fn diffFn) error {
	path := prefix + eb.Name
	switch {
	case eb.Mode == filemode.Dir && ea == nil:
		return t.files(path+"/", eb.Hash, func(p string, e *gitobject.TreeEntry) error {
			if e.Mode == filemode.Submodule {
				return nil
			}
			return fn(p, nil, e)
		})
	case eb.Mode == filemode.Dir:
		return t.diff(path+"/", ea.Hash, eb.Hash, fn)
	case eb.Mode == filemode.Submodule:
		return nil
	case ea != nil && ea.Hash == eb.Hash:
		return nil
	}
	return fn(path, ea, eb)
}

// compareEntries orders tree entries as git does: by name, a directory's
// name compared as if it ended with '/'. Two entries compare equal only when
// they have the same name and are both directories or both not.
func compareEntries(a, b *gitobject.TreeEntry) int {
	n := min(len(a.Name), len(b.Name))
	if c := strings.Compare(a.Name[:n], b.Name[:n]); c != 0 {
		return c
	}
	return cmp.Compare(nameByte(a, n), nameByte(b, n))
}

// nameByte is byte n of e's name, '/' just past a directory's name and 0 just
// past another entry's.
func nameByte(e *gitobject.TreeEntry, n int) int {
	switch {
	case n < len(e.Name):
		return int(e.Name[n])
	case e.Mode == filemode.Dir:
		return '/'
	}
	return 0
}

// commitChanges reports what a commit with tree tree and the given parents
// added or changed, as git log -c --raw --root does: a root commit every
// file, a commit with one parent what differs from it, a merge what differs
// from every parent. prior lists the parents' blobs at the path.
func (t *trees) commitChanges(tree plumbing.Hash, parents []plumbing.Hash, st storer.EncodedObjectStorer, emit func(path string, blob plumbing.Hash, prior []string) error) error {
	ptrees := make([]plumbing.Hash, len(parents))
	for i, p := range parents {
		c, err := gitobject.GetCommit(st, p)
		if err != nil {
			return fmt.Errorf("read parent %s: %w", p, err)
		}
		ptrees[i] = c.TreeHash
	}
	if len(ptrees) <= 1 {
		var base plumbing.Hash // the empty tree for a root commit
		if len(ptrees) == 1 {
			base = ptrees[0]
		}
		return t.diff("", base, tree, func(path string, old, cur *gitobject.TreeEntry) error {
			var prior []string
			if old != nil {
				prior = []string{old.Hash.String()}
			}
			return emit(path, cur.Hash, prior)
		})
	}
	return t.combined(tree, ptrees, emit)
}

// combined reports the paths of a merge whose entry differs from the entry
// of every parent (git's combined diff), with the parents' blobs there.
func (t *trees) combined(tree plumbing.Hash, parents []plumbing.Hash, emit func(path string, blob plumbing.Hash, prior []string) error) error {
	type candidate struct {
		path  string
		blob  plumbing.Hash
		prior []string
		hits  int // parents the entry differs from
	}
	var order []*candidate
	byPath := map[string]*candidate{}
	for i, p := range parents {
		if i > 0 && len(byPath) == 0 {
			return nil // nothing differs from the first parent
		}
		err := t.diff("", p, tree, func(path string, old, cur *gitobject.TreeEntry) error {
			c := byPath[path]
			if i == 0 {
				c = &candidate{path: path, blob: cur.Hash}
				order = append(order, c)
				byPath[path] = c
			}
			if c == nil || c.hits != i {
				return nil
			}
			c.hits++
			if old != nil {
				c.prior = append(c.prior, old.Hash.String())
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	for _, c := range order {
		if c.hits == len(parents) {
			if err := emit(c.path, c.blob, c.prior); err != nil {
				return err
			}
		}
	}
	return nil
}
