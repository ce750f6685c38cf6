package source

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// object is one object of a cat-file batch stream.
type object struct {
	id   string
	typ  string
	size int64
}

// readBatch parses `git cat-file --batch` output, calling fn with each
// object's header and a reader of exactly its content. Missing objects are
// passed with typ "missing". fn need not read the content to its end.
func readBatch(r *bufio.Reader, fn func(object, io.Reader) error) error {
	for {
		line, err := r.ReadString('\n')
		if err == io.EOF && line == "" {
			return nil
		}
		if err != nil {
			return fmt.Errorf("cat-file stream: %w (%w)", err, errCorrupt)
		}
		f := strings.Fields(line)
		if len(f) == 2 && f[1] == "missing" {
			if err := fn(object{id: f[0], typ: "missing"}, eofReader{}); err != nil {
				return err
			}
			continue
		}
		if len(f) != 3 {
			return fmt.Errorf("cat-file stream: unexpected header %q: %w", strings.TrimSpace(line), errCorrupt)
		}
		size, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			return fmt.Errorf("cat-file stream: bad size in %q: %w", strings.TrimSpace(line), errCorrupt)
		}
		body := io.LimitReader(r, size)
		if err := fn(object{id: f[0], typ: f[1], size: size}, body); err != nil {
			return err
		}
		if n, err := io.Copy(io.Discard, body); err != nil || body.(*io.LimitedReader).N > 0 {
			return &brokenObject{id: f[0], msg: fmt.Sprintf("cut short after %d bytes", n)}
		}
		if _, err := r.ReadByte(); err != nil { // the LF after the content
			return &brokenObject{id: f[0], msg: "truncated"}
		}
	}
}

// brokenObject is the stream breaking inside one object's content: git
// printed its header, then died.
type brokenObject struct{ id, msg string }

func (e *brokenObject) Error() string {
	return "cat-file stream: " + e.id + " " + e.msg + ": " + errCorrupt.Error()
}
func (e *brokenObject) Unwrap() error { return errCorrupt }

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// catFileEach reads the listed objects with one `git cat-file --batch`,
// calling fn for each (typ "missing" for objects not in the repository). When
// git dies on an object it cannot read, the object is reported through
// onBroken and a new cat-file carries on with the next one.
func (g *gitCmd) catFileEach(ctx context.Context, ids []string, fn func(object, io.Reader) error, onBroken func(id string, err error)) error {
	for len(ids) > 0 {
		done := 0
		err := g.stream(ctx, strings.NewReader(strings.Join(ids, "\n")+"\n"), func(r *bufio.Reader) error {
			return readBatch(r, func(o object, body io.Reader) error {
				if err := fn(o, body); err != nil {
					return err
				}
				done++
				return nil
			})
		}, "cat-file", "--batch")
		if err == nil && done == len(ids) {
			return nil
		}
		if err != nil && (ctx.Err() != nil || !isGitFailure(err)) {
			return err
		}
		if done >= len(ids) {
			return nil
		}
		if err == nil {
			err = errCorrupt
		}
		// git died inside an object it had begun (already passed to fn and
		// counted) or before the header of the next one.
		var bo *brokenObject
		if errors.As(err, &bo) && done > 0 && ids[done-1] == bo.id {
			done--
		}
		onBroken(ids[done], err)
		ids = ids[done+1:]
	}
	return nil
}

// isGitFailure reports whether err is git dying or its stream breaking (an
// unreadable object), rather than the callback's own error.
func isGitFailure(err error) bool {
	var ge *GitError
	return errors.Is(err, errCorrupt) || errors.As(err, &ge)
}
