package source

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// Since returns the source of what the commits reachable from any ref, and
// from none of the commits in exclude, added: `git log --all --not
// EXCLUDE...`. An org sweep passes the ref tips it scanned last time, so
// that a run on an unchanged repository reads nothing. exclude holds full
// object ids (commits, or tags that peel to commits); ids the repository no
// longer has (history rewritten and collected) are left out, so that their
// commits are scanned again rather than missed.
func (r *Repo) Since(ctx context.Context, exclude []string) (Source, error) {
	for _, id := range exclude {
		if !isObjectID(id) {
			return nil, fmt.Errorf("since: %q is not a full object id", id)
		}
	}
	s := &changeSet{Repo: r}
	s.list = func(ctx context.Context, fn func(change) error) error {
		r.warnShallow(ctx, &s.c)
		onCommit := func(*commitInfo) { s.c.commits.Add(1) }
		switch b := r.b.(type) {
		case cliBackend:
			return b.walkSince(ctx, exclude, onCommit, fn)
		case goGit:
			return b.walkSince(ctx, exclude, onCommit, fn)
		}
		return fmt.Errorf("since: unsupported backend %T", r.b)
	}
	return s, nil
}

func isObjectID(id string) bool {
	if len(id) != 40 && len(id) != 64 {
		return false
	}
	return strings.Trim(strings.ToLower(id), "0123456789abcdef") == ""
}

// walkSince is walk over `--all --not EXCLUDE...`. The ids are checked to be
// hex, so they cannot pass for options.
func (b cliBackend) walkSince(ctx context.Context, exclude []string, onCommit func(*commitInfo), fn func(change) error) error {
	present, err := b.present(ctx, exclude)
	if err != nil {
		return err
	}
	args := append(append([]string(nil), logArgs...), "--all")
	if len(present) > 0 {
		args = append(append(args, "--not"), present...)
	}
	return b.g.stream(ctx, nil, func(r *bufio.Reader) error { return parseLog(r, onCommit, fn) }, args...)
}

// present returns the ids of ids the repository holds.
func (b cliBackend) present(ctx context.Context, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var out []string
	stdin := strings.NewReader(strings.Join(ids, "\n") + "\n")
	err := b.g.stream(ctx, stdin, func(r *bufio.Reader) error {
		for {
			line, err := r.ReadString('\n')
			if f := strings.Fields(line); len(f) == 2 && f[1] != "missing" {
				out = append(out, f[0])
			}
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
		}
	}, "cat-file", "--batch-check=%(objectname) %(objecttype)")
	return out, err
}

// walkSince walks every ref and leaves out the commits the excluded ones
// reach (go-git has no negative revisions: the walk is complete, the reads
// are not).
func (b goGit) walkSince(ctx context.Context, exclude []string, onCommit func(*commitInfo), fn func(change) error) error {
	skip, err := b.reachable(exclude)
	if err != nil {
		return err
	}
	var cur *commitInfo
	return b.walk(ctx, "", nil, func(c *commitInfo) {
		cur = c
		if !skip[plumbing.NewHash(c.id)] {
			onCommit(c)
		}
	}, func(c change) error {
		if skip[plumbing.NewHash(cur.id)] {
			return nil
		}
		return fn(c)
	})
}

// reachable returns every commit the ids reach; ids absent from the
// repository are left out.
func (b goGit) reachable(ids []string) (map[plumbing.Hash]bool, error) {
	out := map[plumbing.Hash]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	repo, done, err := b.open()
	if err != nil {
		return nil, err
	}
	defer done()
	w, err := newRevWalk(repo, "")
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		h, ok := peelCommit(repo.Storer, plumbing.NewHash(id))
		if !ok {
			continue
		}
		got, err := w.reach(h)
		if err != nil {
			return nil, err
		}
		for c := range got {
			out[c] = true
		}
	}
	return out, nil
}
