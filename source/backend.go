package source

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"
)

// backend is how a Repo reads git: the git binary (cliBackend), or go-git
// where there is none.
type backend interface {
	// allBlobs calls fn for every blob in the object database, reachable or
	// not. Objects it cannot read go to onBroken and the read goes on.
	allBlobs(ctx context.Context, fn func(object, io.Reader) error, onBroken func(id string, err error)) error
	// readBlobs calls fn for each listed object, typ "missing" for absent ones.
	readBlobs(ctx context.Context, ids []string, fn func(object, io.Reader) error, onBroken func(id string, err error)) error
	// walk reports the commits of a range ("" for every ref) and the blobs
	// each added or changed. targets, when not nil, says only changes to those
	// blobs are wanted (a hint: fn still filters).
	walk(ctx context.Context, spec string, targets []string, onCommit func(*commitInfo), fn func(change) error) error
	// staged reports the index entries that differ from HEAD (or all of them
	// in a repository without commits).
	staged(ctx context.Context, fn func(change) error) error
	// countCommits counts the commits of a range ("" for every ref).
	countCommits(ctx context.Context, spec string) (int64, error)
	// verify checks that rev names a commit.
	verify(ctx context.Context, rev string) error
	// mergeBaseBlobs returns the blob each path holds in the merge base of
	// two revisions.
	mergeBaseBlobs(ctx context.Context, base, head string) (map[string]string, error)
	// toplevel returns the work tree's root ("" when there is none).
	toplevel(ctx context.Context) string
	// fileAt reads path in commit rev (fs.ErrNotExist when absent).
	fileAt(ctx context.Context, rev, path string) ([]byte, error)
	// shallow reports whether the repository is a shallow clone.
	shallow(ctx context.Context) bool
}

// cliBackend reads git with the git binary, and reads the object directory
// itself where it can (objects: "" when it cannot).
type cliBackend struct {
	g       *gitCmd
	gitDir  string // absolute, "" when git must read it (another object format)
	objects string
	top     string    // the work tree's root, "" for none
	readers int       // cat-file processes a long read is split over
	revs    *sync.Map // revision -> *resolved, as commitID resolved them
}

// maxFindObjects bounds the --find-object options given to one git log; past
// it the walk reports every change and the caller filters.
const maxFindObjects = 256

func (b cliBackend) allBlobs(ctx context.Context, fn func(object, io.Reader) error, onBroken func(string, error)) error {
	seen := map[string]bool{}
	stderr, err := b.g.streamStderr(ctx, nil, func(r *bufio.Reader) error {
		return readBatch(r, func(o object, body io.Reader) error {
			if o.typ != "blob" {
				return nil
			}
			seen[o.id] = true
			return fn(o, body)
		})
	}, "cat-file", "--batch-all-objects", "--batch", "--unordered")
	if err == nil && strings.Contains(stderr, "error: ") {
		// git skips a loose object it cannot inflate, says so on stderr and
		// exits 0: find which objects it left out.
		err = gitError([]string{"cat-file"}, errCorrupt, stderr)
	}
	if err == nil || !isGitFailure(err) || ctx.Err() != nil {
		return err
	}
	// git died on an object it could not read: list every blob and read the
	// ones not yet seen one by one, stepping over the broken ones.
	onBroken("(bulk read)", err)
	ids, lerr := b.listBlobs(ctx)
	if lerr != nil {
		return fmt.Errorf("after a failed bulk read: %w", lerr)
	}
	var rest []string
	for _, id := range ids {
		if !seen[id] {
			rest = append(rest, id)
		}
	}
	return b.readBlobs(ctx, rest, fn, onBroken)
}

// listBlobs lists every blob id git can name, and the ids of objects it
// cannot read at all (reported "missing"), so that the caller warns of them.
func (b cliBackend) listBlobs(ctx context.Context) ([]string, error) {
	var ids []string
	err := b.g.stream(ctx, nil, func(r *bufio.Reader) error {
		for {
			line, err := r.ReadString('\n')
			if f := strings.Fields(line); len(f) == 2 && (f[1] == "blob" || f[1] == "missing") {
				ids = append(ids, f[0])
			}
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
		}
	}, "cat-file", "--batch-all-objects", "--batch-check=%(objectname) %(objecttype)", "--unordered")
	if err != nil && len(ids) == 0 {
		return nil, err
	}
	return ids, nil
}

func (b cliBackend) readBlobs(ctx context.Context, ids []string, fn func(object, io.Reader) error, onBroken func(string, error)) error {
	n := b.readers
	if n < 2 || len(ids) < minSplitRead*n {
		return b.g.catFileEach(ctx, ids, fn, onBroken)
	}
	// cat-file inflates on one core: a long list is split into contiguous
	// parts (neighbours in a walk share delta bases), one cat-file each.
	g, gctx := errgroup.WithContext(ctx)
	for i := range n {
		part := ids[i*len(ids)/n : (i+1)*len(ids)/n]
		g.Go(func() error { return b.g.catFileEach(gctx, part, fn, onBroken) })
	}
	return g.Wait()
}

// minSplitRead is the fewest blobs per cat-file when a read is split: below
// it a second process costs more than it saves.
const minSplitRead = 128

func (b cliBackend) walk(ctx context.Context, spec string, targets []string, onCommit func(*commitInfo), fn func(change) error) error {
	args := append([]string(nil), logArgs...)
	if targets != nil && len(targets) <= maxFindObjects {
		if len(targets) == 0 {
			return nil
		}
		for _, t := range targets {
			args = append(args, "--find-object="+t)
		}
	}
	if spec == "" {
		// Map packs in bounded windows: by default git maps whole packs,
		// and a walk of git/git's history keeps 300 MB of them resident
		// (128m: 180 MB). A 16 MB delta-base cache instead of 96 MB takes
		// it to 88 MB, with no more CPU (8.09 s against 8.12 s for 32 MB,
		// which held 107 MB; 8 MB took 8.67 s). Two 64 MB windows instead
		// of four of 32 MB map the same again less often: 29,317 page
		// faults against 52,433 and 10.3 s against 12.5 s alone, at the
		// same peak (90 MB; 256m held 129 MB).
		args = append([]string{"-c", "core.packedGitLimit=192m", "-c", "core.packedGitWindowSize=64m",
			"-c", "core.deltaBaseCacheLimit=16m"}, args...)
		args = append(args, "--all")
	} else {
		// A range's walk reads few trees more than once: a 4 MB delta-base
		// cache instead of 96 MB spares git most of its page faults (each
		// costs 10-15 us on a VM). git/git, HEAD~100..HEAD: 0.101 s and
		// 2,319 faults against 0.130 s and 5,043; HEAD~1000..HEAD: 0.62 s
		// against 0.84 s.
		args = append([]string{"-c", "core.deltaBaseCacheLimit=4m"}, args...)
		args = append(args, "--end-of-options", spec)
	}
	return b.g.stream(ctx, nil, func(r *bufio.Reader) error { return parseLog(r, onCommit, fn) }, args...)
}

// staged lists the staged changes in-process where it can, and has git
// list them (or the rest of them) where it cannot.
func (b cliBackend) staged(ctx context.Context, fn func(change) error) error {
	listed := map[string]bool{}
	handled, err := b.stagedInProcess(ctx, func(c change) error {
		listed[c.path] = true
		return fn(c)
	})
	if handled {
		return err
	}
	return b.g.stream(ctx, nil, func(r *bufio.Reader) error {
		return parseLog(r, nil, func(c change) error {
			if listed[c.path] {
				return nil
			}
			return fn(c)
		})
	}, "diff", "--cached", "--raw", "-z", "--no-abbrev", "--no-renames", "--no-color", "--no-ext-diff")
}

func (b cliBackend) countCommits(ctx context.Context, spec string) (int64, error) {
	args := []string{"rev-list", "--count"}
	if spec == "" {
		args = append(args, "--all")
	} else {
		args = append(args, "--end-of-options", spec)
	}
	out, err := b.g.output(ctx, args...)
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(strings.TrimSpace(out), 10, 64)
}

func (b cliBackend) verify(ctx context.Context, rev string) error {
	if _, err := b.commitID(ctx, rev); err != nil {
		return fmt.Errorf("%q is not a commit in this repository", rev)
	}
	return nil
}

// commitID resolves rev to a commit id, once per revision: callers at the
// same time (a range's check and its base's walk) share one git process.
// A revision that does not resolve is asked again by the next call.
func (b cliBackend) commitID(ctx context.Context, rev string) (string, error) {
	if b.revs == nil {
		b.revs = &sync.Map{} // a backend built by hand: nothing to share
	}
	v, _ := b.revs.LoadOrStore(rev, &resolved{})
	r := v.(*resolved)
	r.once.Do(func() {
		if id, ok := b.revInProcess(rev); ok {
			r.id = id
			return
		}
		out, err := b.g.output(ctx, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
		r.id, r.err = strings.TrimSpace(out), err
	})
	if r.err != nil {
		b.revs.CompareAndDelete(rev, r) // asked again later: a fetch may bring it
	}
	return r.id, r.err
}

// revInProcess resolves rev without a git process where it can
// (resolveRev): each rev-parse cost 8 ms of CPU and, beside a range's walk,
// up to 30 ms before the range could start.
func (b cliBackend) revInProcess(rev string) (string, bool) {
	if b.objects == "" || b.gitDir == "" {
		return "", false
	}
	o, err := openObjReader(b.objects)
	if err != nil {
		return "", false
	}
	defer o.close()
	return o.resolveRev(b.gitDir, rev)
}

// resolved is a revision as commitID resolved it.
type resolved struct {
	once sync.Once
	id   string
	err  error
}

func (b cliBackend) shallow(ctx context.Context) bool {
	if b.gitDir != "" { // git reads the same file
		fi, err := os.Stat(filepath.Join(commonDir(b.gitDir), "shallow"))
		return err == nil && fi.Size() > 0
	}
	out, err := b.g.output(ctx, "rev-parse", "--is-shallow-repository")
	return err == nil && strings.TrimSpace(out) == "true"
}
