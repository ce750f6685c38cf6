package source

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
)

// RefUpdate is one line git gives a pre-receive hook: a ref moving from Old
// to New. An all-zero Old creates the ref, an all-zero New deletes it.
type RefUpdate struct {
	Old, New, Ref string
}

// Deletes reports whether the update deletes its ref.
func (u RefUpdate) Deletes() bool { return zeroID(u.New) }

// Creates reports whether the update creates its ref.
func (u RefUpdate) Creates() bool { return zeroID(u.Old) }

// maxRefUpdates bounds the lines ParseRefUpdates accepts, so that a
// malformed stream cannot grow memory without end.
const maxRefUpdates = 100_000

// ParseRefUpdates reads the "<old> <new> <ref>" lines git writes to a
// pre-receive (or post-receive) hook's standard input. Ids must be full
// object ids and ref names may not contain spaces; a blank line is skipped.
func ParseRefUpdates(rd io.Reader) ([]RefUpdate, error) {
	var out []RefUpdate
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Split(line, " ")
		if len(f) != 3 || !isObjectID(f[0]) || !isObjectID(f[1]) || f[2] == "" || strings.HasPrefix(f[2], "-") {
			return nil, fmt.Errorf("ref update line %d: want \"<old-id> <new-id> <ref>\", got %q", n, line)
		}
		if len(out) == maxRefUpdates {
			return nil, fmt.Errorf("ref updates: more than %d lines", maxRefUpdates)
		}
		out = append(out, RefUpdate{Old: strings.ToLower(f[0]), New: strings.ToLower(f[1]), Ref: f[2]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read ref updates: %w", err)
	}
	return out, nil
}

// Pushed returns the source of what a push adds to the repository: the
// blobs of every commit the updated refs' new tips reach and no existing
// ref reaches (`git log NEW... --not --all`, run before git moves any ref,
// so a new branch is judged against every branch and tag already there, and
// an update against its old tip and everything else). Deletions add
// nothing. A tag that points at a blob or a tree adds that content.
//
// It reads with the git binary only (ErrNeedsGit otherwise), whose children
// inherit the hook's environment: GIT_DIR, and the quarantine git sets up
// for objects not yet accepted (GIT_QUARANTINE_PATH, GIT_OBJECT_DIRECTORY,
// GIT_ALTERNATE_OBJECT_DIRECTORIES).
func (r *Repo) Pushed(ctx context.Context, updates []RefUpdate) (Source, error) {
	b, ok := r.b.(cliBackend)
	if !ok {
		return nil, fmt.Errorf("read a push: %w", ErrNeedsGit)
	}
	var tips []string
	for _, u := range updates {
		if !isObjectID(u.New) || !isObjectID(u.Old) {
			return nil, fmt.Errorf("ref update %s: ids must be full object ids", u.Ref)
		}
		if !u.Deletes() {
			tips = append(tips, u.New)
		}
	}
	s := &changeSet{Repo: r}
	s.list = func(ctx context.Context, fn func(change) error) error {
		if len(tips) == 0 {
			return nil
		}
		commits, others, err := b.peelTips(ctx, tips)
		if err != nil {
			return err
		}
		for _, o := range others {
			if err := b.tagContent(ctx, o, fn); err != nil {
				return err
			}
		}
		if len(commits) == 0 {
			return nil
		}
		// the tips go on stdin (a mirror push may name more than a command
		// line holds); --stdin reads them before --not applies
		onCommit := func(*commitInfo) { s.c.commits.Add(1) }
		args := append(append([]string(nil), logArgs...), "--stdin", "--not", "--all")
		in := strings.NewReader(strings.Join(commits, "\n") + "\n")
		return b.g.stream(ctx, in, func(rd *bufio.Reader) error { return parseLog(rd, onCommit, fn) }, args...)
	}
	return s, nil
}

// peeled is a pushed tip that is not a commit once its tags are peeled.
type peeled struct {
	tip, id, typ string
}

// peelTips peels each tip (annotated tags to what they point at) and splits
// them into commits and other objects. The ids are checked to be hex, so
// they cannot pass for options.
func (b cliBackend) peelTips(ctx context.Context, tips []string) (commits []string, others []peeled, err error) {
	var in strings.Builder
	for _, t := range tips {
		in.WriteString(t + "^{}\n")
	}
	i := 0
	err = b.g.stream(ctx, strings.NewReader(in.String()), func(rd *bufio.Reader) error {
		for ; ; i++ {
			line, err := rd.ReadString('\n')
			f := strings.Fields(line)
			switch {
			case len(f) == 2 && f[1] == "commit":
				commits = append(commits, f[0])
			case len(f) == 2 && (f[1] == "blob" || f[1] == "tree") && i < len(tips):
				others = append(others, peeled{tip: tips[i], id: f[0], typ: f[1]})
			case len(f) > 0 && i < len(tips):
				return fmt.Errorf("pushed object %s: %s", tips[i], strings.TrimSpace(line))
			}
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
		}
	}, "cat-file", "--batch-check=%(objectname) %(objecttype)")
	return commits, others, err
}

// tagContent reports the content of a tag that points at a blob or a tree,
// at paths named after the tag's object.
func (b cliBackend) tagContent(ctx context.Context, p peeled, fn func(change) error) error {
	if p.typ == "blob" {
		return fn(change{path: "(tag " + p.tip + ")", blob: p.id})
	}
	return b.g.stream(ctx, nil, func(rd *bufio.Reader) error {
		return treeEntries(rd, func(meta []string, path string) error {
			if len(meta) == 3 && meta[1] == "blob" {
				return fn(change{path: path, blob: meta[2]})
			}
			return nil
		})
	}, "ls-tree", "-r", "-z", "--full-tree", p.id)
}
