package corpus

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The end-to-end tests run the scanner binary, built once from this module,
// over git repositories and directories built in t.TempDir().

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// scanner returns the path of the scanner binary, building it on first use.
func scanner(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the scanner binary")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "corpus-scanner-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "scanner")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/scanner-dev/scanner/cmd/scanner").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// reportFinding is the part of the JSON report the corpus checks.
type reportFinding struct {
	RuleID      string `json:"rule_id"`
	Fingerprint string `json:"fingerprint"`
	Redacted    string `json:"redacted"`
	Path        string `json:"path"`
	Line        int    `json:"line"`
	Commit      string `json:"commit"`
}

// scan runs the scanner with args and returns its findings; exit status 1
// (findings) is not an error.
func scan(t *testing.T, args ...string) []reportFinding {
	t.Helper()
	cmd := exec.Command(scanner(t), append(args, "--report-format", "json")...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		t.Fatalf("scanner %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	var rep struct {
		Findings []reportFinding `json:"findings"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("report: %v\n%.500s", err, stdout.String())
	}
	return rep.Findings
}

// placed is a plant where the scanner must report it: path, line and the
// commit that introduced it ("" outside git).
type placed struct {
	plant
	path, commit string
	line         int
}

// checkPlaced requires every placed plant reported at its path, line and
// commit, and nothing else.
func checkPlaced(t *testing.T, want []placed, got []reportFinding) {
	t.Helper()
	used := make([]bool, len(got))
	for _, w := range want {
		fp, found := w.fingerprint(), false
		for i, f := range got {
			if used[i] || f.RuleID != w.rule || f.Fingerprint != fp || f.Path != w.path {
				continue
			}
			used[i], found = true, true
			if f.Line != w.line || f.Commit != w.commit {
				t.Errorf("%s in %s: at line %d commit %.10s, want line %d commit %.10s", w.plant, w.path, f.Line, f.Commit, w.line, w.commit)
			}
			break
		}
		if !found {
			t.Errorf("MISS %s in %s line %d", w.plant, w.path, w.line)
		}
	}
	for i, f := range got {
		if !used[i] {
			t.Errorf("FALSE POSITIVE %s %s in %s line %d commit %.10s", f.RuleID, f.Redacted, f.Path, f.Line, f.Commit)
		}
	}
}

// gitRepo is a repository built with the git CLI, isolated from the user's
// configuration.
type gitRepo struct {
	t   *testing.T
	dir string
	day int
}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git binary")
	}
	r := &gitRepo{t: t, dir: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	return r
}

func (r *gitRepo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	date := fmt.Sprintf("2024-03-%02dT10:00:00Z", 1+r.day%28)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Ada Dev", "GIT_AUTHOR_EMAIL=ada@example.com",
		"GIT_COMMITTER_NAME=Ada Dev", "GIT_COMMITTER_EMAIL=ada@example.com",
		"GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func (r *gitRepo) write(path string, data []byte) {
	r.t.Helper()
	writeFile(r.t, r.dir, path, data)
}

// commit stages everything and commits, one day after the last commit.
func (r *gitRepo) commit(msg string) string {
	r.t.Helper()
	r.day++
	r.git("add", "-A")
	r.git("commit", "-q", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

func writeFile(t *testing.T, root, path string, data []byte) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
