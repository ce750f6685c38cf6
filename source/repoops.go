package source

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// This file holds what commands need from a repository besides its content:
// whether it holds a commit, whether it is shallow, fetching, its origin,
// the refs that reach a commit and its configuration. They are here so that
// only this package runs git.

// HasCommit reports whether rev names a commit the repository holds.
func (r *Repo) HasCommit(ctx context.Context, rev string) bool {
	if rev == "" || strings.HasPrefix(rev, "-") {
		return false
	}
	return r.b.verify(ctx, rev) == nil
}

// Shallow reports whether the repository is a shallow clone.
func (r *Repo) Shallow(ctx context.Context) bool { return r.b.shallow(ctx) }

// ErrNeedsGit is returned by operations only the git binary does (fetching,
// reading a push under quarantine) on a repository opened with go-git.
var ErrNeedsGit = errors.New("this needs the git binary")

// Fetch fetches refspecs (commit ids or src:dst refspecs) from the "origin"
// remote, without tags or submodules and without prompting for credentials;
// with unshallow it also fetches the history a shallow clone lacks. A
// refspec that starts with '-' is refused. (Its signature is that of
// ghaction.Fetcher, which *Repo implements.)
func (r *Repo) Fetch(ctx context.Context, unshallow bool, refspecs ...string) error {
	return r.FetchFrom(ctx, "origin", FetchOptions{Unshallow: unshallow, Refspecs: refspecs})
}

// FetchOptions say what FetchFrom fetches.
type FetchOptions struct {
	Refspecs  []string // commit ids or src:dst refspecs (none: the remote's configured ones)
	Unshallow bool     // also fetch the history a shallow clone lacks
	Depth     int      // > 0: fetch only this many commits of each tip (git fetch --depth)
}

// FetchFrom fetches from a remote (a name or a URL) what opts say.
func (r *Repo) FetchFrom(ctx context.Context, remote string, opts FetchOptions) error {
	b, ok := r.b.(cliBackend)
	if !ok {
		return fmt.Errorf("fetch from %s: %w", remote, ErrNeedsGit)
	}
	if remote == "" || strings.HasPrefix(remote, "-") {
		return fmt.Errorf("fetch: bad remote %q", remote)
	}
	for _, s := range opts.Refspecs {
		if s == "" || strings.HasPrefix(s, "-") {
			return fmt.Errorf("fetch: refspec %q is empty or starts with '-'", s)
		}
	}
	args := []string{"fetch", "--quiet", "--no-tags", "--no-recurse-submodules"}
	if opts.Unshallow && r.Shallow(ctx) {
		args = append(args, "--unshallow")
	}
	if opts.Depth > 0 {
		args = append(args, fmt.Sprintf("--depth=%d", opts.Depth))
	}
	args = append(append(args, remote), opts.Refspecs...)
	if _, err := b.g.output(ctx, args...); err != nil {
		return fmt.Errorf("fetch from %s: %w", remote, err)
	}
	return nil
}

// OriginURL returns the URL of the "origin" remote, or "" when there is none.
func (r *Repo) OriginURL(ctx context.Context) string {
	switch b := r.b.(type) {
	case cliBackend:
		out, err := b.g.output(ctx, "config", "--get", "remote.origin.url")
		if err != nil {
			return ""
		}
		return strings.TrimSpace(out)
	case goGit:
		repo, done, err := b.open()
		if err != nil {
			return ""
		}
		defer done()
		rem, err := repo.Remote("origin")
		if err != nil || len(rem.Config().URLs) == 0 {
			return ""
		}
		return rem.Config().URLs[0]
	}
	return ""
}

// ConfigBool reads a boolean from the repository's git configuration (its
// own, the user's and the system's, as git does); an unset key is false.
func (r *Repo) ConfigBool(ctx context.Context, key string) (bool, error) {
	if key == "" || strings.HasPrefix(key, "-") {
		return false, fmt.Errorf("config: bad key %q", key)
	}
	switch b := r.b.(type) {
	case cliBackend:
		out, err := b.g.output(ctx, "config", "--type=bool", "--default=false", "--get", key)
		if err != nil {
			return false, fmt.Errorf("config %s: %w", key, err)
		}
		return strings.TrimSpace(out) == "true", nil
	case goGit:
		return b.configBool(key)
	}
	return false, nil
}

func (b goGit) configBool(key string) (bool, error) {
	repo, done, err := b.open()
	if err != nil {
		return false, err
	}
	defer done()
	cfg, err := repo.Config()
	if err != nil {
		return false, err
	}
	i := strings.IndexByte(key, '.')
	j := strings.LastIndexByte(key, '.')
	if i < 0 {
		return false, fmt.Errorf("config: bad key %q", key)
	}
	var v string
	if i == j {
		v = cfg.Raw.Section(key[:i]).Option(key[j+1:])
	} else {
		v = cfg.Raw.Section(key[:i]).Subsection(key[i+1 : j]).Option(key[j+1:])
	}
	switch strings.ToLower(v) {
	case "true", "yes", "on", "1":
		return true, nil
	}
	return false, nil
}

// GitDir returns the repository's git directory (absolute), where tools
// keep files that must stay out of the work tree; "" when unknown (go-git).
func (r *Repo) GitDir(ctx context.Context) string {
	b, ok := r.b.(cliBackend)
	if !ok {
		return ""
	}
	out, err := b.g.output(ctx, "rev-parse", "--absolute-git-dir")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(out)
}

// RefsContaining returns the refs (full names, sorted) whose history holds
// any of the commits; commits the repository does not hold are left out.
// Ids that are not full object ids are refused.
func (r *Repo) RefsContaining(ctx context.Context, commits []string) ([]string, error) {
	b, ok := r.b.(cliBackend)
	if !ok {
		return nil, fmt.Errorf("refs containing commits: %w", ErrNeedsGit)
	}
	if len(commits) == 0 {
		return nil, nil
	}
	for _, c := range commits {
		if !isObjectID(c) {
			return nil, fmt.Errorf("refs containing: %q is not a full object id", c)
		}
	}
	present, err := b.present(ctx, commits)
	if err != nil || len(present) == 0 {
		return nil, err
	}
	args := []string{"for-each-ref", "--format=%(refname)"}
	for _, c := range present {
		args = append(args, "--contains="+c)
	}
	out, err := b.g.output(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("refs containing commits: %w", err)
	}
	return strings.Fields(out), nil
}
