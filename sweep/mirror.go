package sweep

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// ErrTooLarge is returned for a repository past the size limit.
var ErrTooLarge = errors.New("repository larger than the size limit")

// CheckSize returns ErrTooLarge when the API says the repository is larger
// than maxKB (0: no limit).
func (r Repo) CheckSize(maxKB int64) error {
	if maxKB > 0 && r.SizeKB > maxKB {
		return fmt.Errorf("%s: %d KB > %d KB: %w", r.FullName, r.SizeKB, maxKB, ErrTooLarge)
	}
	return nil
}

// Cache keeps a bare mirror of every branch and tag of each repository
// under Dir: cloned with `git clone --mirror` the first time, updated with
// `git fetch --prune` later.
type Cache struct {
	Dir    string
	Token  string // sent to git as an Authorization header, never in a URL
	APIURL string // the token is only sent to this API's host (github.com for api.github.com)
	Git    string // git binary (default: from PATH)
}

// validName is what GitHub allows in an owner or repository name.
var validName = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// Path returns where the mirror of repo lives.
func (c *Cache) Path(r Repo) (string, error) {
	owner, name, ok := strings.Cut(r.FullName, "/")
	if !ok || !validName.MatchString(owner) || !validName.MatchString(name) || owner == ".." || name == ".." || owner == "." || name == "." {
		return "", fmt.Errorf("repository name %q cannot name a cache directory", r.FullName)
	}
	return filepath.Join(c.Dir, strings.ToLower(owner), strings.ToLower(name)+".git"), nil
}

// Sync brings the mirror of repo up to date and returns its path. fetched
// is false for a fresh clone.
func (c *Cache) Sync(ctx context.Context, r Repo) (path string, fetched bool, err error) {
	if r.CloneURL == "" {
		return "", false, fmt.Errorf("%s: the API gave no clone URL", r.FullName)
	}
	if path, err = c.Path(r); err != nil {
		return "", false, err
	}
	if _, err := c.git(ctx, r.CloneURL, path, "rev-parse", "--git-dir"); err == nil {
		if _, err := c.git(ctx, "", path, "remote", "set-url", "origin", r.CloneURL); err != nil {
			return "", true, fmt.Errorf("%s: %w", r.FullName, err)
		}
		_, err := c.git(ctx, r.CloneURL, path, "fetch", "--prune", "--quiet", "origin")
		if err == nil {
			return path, true, nil
		}
		// a mirror that cannot fetch (corrupt, half-written) is cloned again
		if cerr := c.clone(ctx, r, path); cerr != nil {
			return "", false, fmt.Errorf("fetch %s: %w; clone again: %w", r.FullName, err, cerr)
		}
		return path, false, nil
	}
	return path, false, c.clone(ctx, r, path)
}

// clone makes a fresh mirror next to path and moves it in place once
// complete, so that an interrupted clone leaves nothing behind. --no-local
// makes a clone from a local path go through the pack protocol, which
// checks every object, as a clone over the network does.
func (c *Cache) clone(ctx context.Context, r Repo, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("cache directory: %w", err)
	}
	if err := os.RemoveAll(path); err != nil {
		return fmt.Errorf("cache directory: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(path), ".clone-*")
	if err != nil {
		return fmt.Errorf("cache directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	dst := filepath.Join(tmp, "repo.git")
	if _, err := c.git(ctx, r.CloneURL, "", "clone", "--mirror", "--no-local", "--quiet", "--", r.CloneURL, dst); err != nil {
		return fmt.Errorf("clone %s: %w", r.FullName, err)
	}
	if err := os.Rename(dst, path); err != nil {
		return fmt.Errorf("cache directory: %w", err)
	}
	return nil
}

// Tips returns the commit (or tag) every ref of the mirror points at.
func (c *Cache) Tips(ctx context.Context, path string) (map[string]string, error) {
	out, err := c.git(ctx, "", path, "for-each-ref", "--format=%(objectname) %(refname)")
	if err != nil {
		return nil, err
	}
	tips := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if id, ref, ok := strings.Cut(strings.TrimSpace(line), " "); ok {
			tips[ref] = id
		}
	}
	return tips, nil
}

// git runs git in dir ("" for the current directory), with the token as an
// extra header when remote is on the API's host. Its stderr goes into the
// error, with any URL credentials cut out.
func (c *Cache) git(ctx context.Context, remote, dir string, args ...string) (string, error) {
	bin := c.Git
	if bin == "" {
		bin = "git"
	}
	sub := args[0]
	if dir != "" {
		args = append([]string{"-C", dir}, args...)
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C", "GIT_ASKPASS=", "SSH_ASKPASS=")
	if remote != "" && c.Token != "" && tokenHost(c.APIURL, remote) {
		cmd.Env = append(cmd.Env, authEnv(c.Token)...)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("git %s: %s", sub, RedactURLs(strings.TrimPrefix(msg, "fatal: ")))
	}
	return stdout.String(), nil
}

// authEnv passes the token to git as configuration in the environment: it
// is on no command line and in no file.
func authEnv(token string) []string {
	basic := base64.StdEncoding.EncodeToString([]byte("x-access-token:" + token))
	return []string{"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=http.extraHeader",
		"GIT_CONFIG_VALUE_0=Authorization: Basic " + basic}
}

// tokenHost reports whether the token may go to the host of cloneURL: the
// API's own host, or github.com for api.github.com.
func tokenHost(apiURL, cloneURL string) bool {
	api, err := parseAPIURL(apiURL)
	if err != nil {
		return false
	}
	u, err := url.Parse(cloneURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return false
	}
	host := strings.ToLower(u.Host)
	apiHost := strings.ToLower(api.Host)
	return host == apiHost || (apiHost == "api.github.com" && host == "github.com")
}

var urlCreds = regexp.MustCompile(`(\w+://)[^/@\s]+@`)

// RedactURLs cuts the user information out of every URL in s.
func RedactURLs(s string) string { return urlCreds.ReplaceAllString(s, "${1}REDACTED@") }
