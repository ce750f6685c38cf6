package source

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// gitCmd runs the git binary against one repository.
type gitCmd struct {
	bin string // path of the git binary
	dir string // repository (work tree or bare)
}

// gitBinary returns the git binary on PATH, or "" if there is none.
func gitBinary() string {
	p, err := exec.LookPath("git")
	if err != nil {
		return ""
	}
	return p
}

// command builds a git command with settings that keep its output stable
// whatever the user's configuration: no pager, no colour, no quoting of paths,
// no prompts, no external diff or text conversion.
func (g *gitCmd) command(ctx context.Context, args ...string) *exec.Cmd {
	base := []string{"-C", g.dir, "-c", "core.quotepath=off", "-c", "log.showSignature=false",
		"-c", "diff.external=", "-c", "core.fsmonitor=false", "--no-pager"}
	cmd := exec.CommandContext(ctx, g.bin, append(base, args...)...)
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C", "GIT_OPTIONAL_LOCKS=0")
	return cmd
}

// output runs git and returns its standard output; a failure carries git's
// own first line of complaint.
func (g *gitCmd) output(ctx context.Context, args ...string) (string, error) {
	cmd := g.command(ctx, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", gitError(args, err, stderr.String())
	}
	return string(out), nil
}

// GitError is git failing: the subcommand and git's own first line of
// complaint.
type GitError struct {
	Command string
	Msg     string
}

func (e *GitError) Error() string { return "git " + e.Command + ": " + e.Msg }

func gitError(args []string, err error, stderr string) error {
	for len(args) > 2 && args[0] == "-c" {
		args = args[2:] // name the subcommand, not its settings
	}
	msg := strings.TrimSpace(stderr)
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	msg = strings.TrimPrefix(strings.TrimPrefix(msg, "fatal: "), "error: ")
	if msg == "" {
		msg = err.Error()
	}
	return &GitError{Command: args[0], Msg: msg}
}

// stream runs git with stdin (may be nil) and hands its buffered standard
// output to read. It returns read's error, else git's.
func (g *gitCmd) stream(ctx context.Context, stdin io.Reader, read func(*bufio.Reader) error, args ...string) error {
	_, err := g.streamStderr(ctx, stdin, read, args...)
	return err
}

// streamStderr is stream that also returns what git wrote on standard error
// (its first 4 KiB): some commands complain there and still exit 0.
func (g *gitCmd) streamStderr(ctx context.Context, stdin io.Reader, read func(*bufio.Reader) error, args ...string) (string, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := g.command(ctx, args...)
	cmd.Stdin = stdin
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	growPipe(out)
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("start git: %w", err)
	}
	rerr := read(bufio.NewReaderSize(out, 1<<20))
	if rerr != nil {
		cancel()
	}
	_, _ = io.Copy(io.Discard, out)
	werr := cmd.Wait()
	switch {
	case rerr != nil:
		return stderr.String(), rerr
	case ctx.Err() != nil:
		return stderr.String(), ctx.Err()
	case werr != nil:
		return stderr.String(), gitError(args, werr, stderr.String())
	}
	return stderr.String(), nil
}

// limitedBuffer keeps the first 4 KiB written to it: enough of git's stderr
// to explain a failure, bounded whatever git prints.
type limitedBuffer struct{ bytes.Buffer }

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := 4096 - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// errCorrupt reports an object git could not read.
var errCorrupt = errors.New("object unreadable")
