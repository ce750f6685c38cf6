package source

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/scanner-dev/scanner/finding"
)

// logFormat starts each commit of `git log -z` with \x01 and its id, parents,
// author name, author email and strict ISO author date, NUL-separated.
const logFormat = "--format=%x01%H%x00%P%x00%an%x00%ae%x00%aI"

// logArgs are the git log options every walk uses: raw tree changes with full
// ids, merges as combined changes (what a merge brought that none of its
// parents had), no rename detection (a renamed file is a new path), root
// commits shown in full.
var logArgs = []string{"log", "-z", "-c", "--raw", "--no-abbrev", "--no-renames", "--root",
	"--no-color", "--no-ext-diff", "--no-textconv", logFormat}

// commitInfo is a commit as git log describes it.
type commitInfo struct {
	id      string
	parents int
	author  string
	email   string
	date    time.Time
}

// change is a blob a commit added or changed at a path.
type change struct {
	commit *commitInfo
	path   string
	blob   string
	prior  []string
}

func (c change) location() finding.Location {
	l := finding.Location{Path: c.path, Blob: c.blob, Prior: c.prior}
	if c.commit != nil {
		l.Commit, l.AuthorName, l.AuthorEmail, l.Date = c.commit.id, c.commit.author, c.commit.email, c.commit.date
	}
	return l
}

// parseLog reads `git log -z --raw` output in logFormat, calling onCommit for
// each commit and fn for each blob a commit added or changed. Deletions and
// submodule entries are left out.
func parseLog(r *bufio.Reader, onCommit func(*commitInfo), fn func(change) error) error {
	var cur *commitInfo
	next := func() (string, error) {
		tok, err := r.ReadString(0)
		if err != nil {
			if err == io.EOF && tok == "" {
				return "", io.EOF
			}
			if err != io.EOF {
				return "", err
			}
		}
		return strings.TrimSuffix(tok, "\x00"), nil
	}
	for {
		tok, err := next()
		// git puts a newline between a commit's header and its raw entries;
		// paths are taken verbatim (a path may begin with a newline).
		tok = strings.TrimLeft(tok, "\n")
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("git log stream: %w", err)
		}
		switch {
		case tok == "":
		case tok[0] == '\x01':
			if cur, err = parseCommit(tok[1:], next); err != nil {
				return err
			}
			if onCommit != nil {
				onCommit(cur)
			}
		case tok[0] == ':':
			path, err := next()
			if err != nil {
				return fmt.Errorf("git log stream: entry without path: %w", err)
			}
			c, ok, err := parseRaw(tok, path)
			if err != nil {
				return err
			}
			if ok {
				c.commit = cur
				if err := fn(c); err != nil {
					return err
				}
			}
		}
	}
}

func parseCommit(id string, next func() (string, error)) (*commitInfo, error) {
	var f [4]string
	for i := range f {
		v, err := next()
		if err != nil {
			return nil, fmt.Errorf("git log stream: commit %s: %w", id, err)
		}
		f[i] = v
	}
	date, err := time.Parse(time.RFC3339, f[3])
	if err != nil {
		return nil, fmt.Errorf("git log stream: commit %s: date %q: %w", id, f[3], err)
	}
	return &commitInfo{id: id, parents: len(strings.Fields(f[0])), author: f[1], email: f[2], date: date}, nil
}

// parseRaw reads one raw entry: ":old new oldid newid S" for a commit with
// one parent (or none), "::m1 m2 m id1 id2 id SS" combined for a merge. ok is
// false for entries that add no blob (deletions, submodules, trees).
func parseRaw(tok, path string) (change, bool, error) {
	n := 0
	for n < len(tok) && tok[n] == ':' {
		n++
	}
	f := strings.Fields(tok[n:])
	if len(f) != 2*(n+1)+1 {
		return change{}, false, fmt.Errorf("git log stream: bad raw entry %q", tok)
	}
	mode, blob := f[n], f[2*n+1]
	if zeroID(blob) || mode == "160000" || mode == "040000" {
		return change{}, false, nil
	}
	c := change{path: path, blob: blob}
	for _, p := range f[n+1 : 2*n+1] {
		if p == blob { // a mode change: the content is not new
			return change{}, false, nil
		}
		if !zeroID(p) {
			c.prior = append(c.prior, p)
		}
	}
	return c, true, nil
}

func zeroID(id string) bool { return strings.Trim(id, "0") == "" }
