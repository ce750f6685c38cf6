package purge

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/detect"
	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/rules"
	"github.com/scanner-dev/scanner/source"
)

// gitEnv isolates the tests' git from the user's and the system's
// configuration.
var gitEnv = []string{"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
	"GIT_AUTHOR_NAME=Ada Dev", "GIT_AUTHOR_EMAIL=ada@example.com",
	"GIT_COMMITTER_NAME=Ada Dev", "GIT_COMMITTER_EMAIL=ada@example.com"}

// gitRepo is a real repository made with the git CLI.
type gitRepo struct {
	t   *testing.T
	dir string
}

func run(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), gitEnv...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func newRepo(t *testing.T, dir string) *gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git binary")
	}
	run(t, filepath.Dir(dir), "git", "init", "-q", "-b", "main", dir)
	return &gitRepo{t: t, dir: dir}
}

func (r *gitRepo) git(args ...string) string { r.t.Helper(); return run(r.t, r.dir, "git", args...) }

func (r *gitRepo) commit(path, content, msg string) string {
	r.t.Helper()
	p := filepath.Join(r.dir, path)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
	r.git("add", "-A")
	r.git("commit", "-q", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

func (r *gitRepo) open() *source.Repo {
	r.t.Helper()
	repo, err := source.OpenRepo(context.Background(), r.dir, source.Options{Log: zerolog.Nop()})
	if err != nil {
		r.t.Fatal(err)
	}
	return repo
}

// pair is a Crisp plugin pair generated for the test, never committed.
type pair struct{ id, key string }

func newPair(seed uint64) pair {
	f := rules.NewFixture(rand.New(rand.NewPCG(seed, seed+1)))
	return pair{f.ID, f.Key}
}

func (p pair) env() string {
	return "CRISP_IDENTIFIER=" + p.id + "\nCRISP_KEY=" + p.key + "\n"
}

func detector(t *testing.T) *detect.Detector {
	t.Helper()
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	return detect.New(set)
}

// scanReport scans the repository's history and returns its findings as a
// JSON report read back (no values, as a report without --show-secrets).
func scanReport(t *testing.T, r *gitRepo, d *detect.Detector) *report.Report {
	t.Helper()
	var fs []finding.Finding
	var mu sync.Mutex
	h := r.open().History()
	byBlob := map[string][]finding.Finding{}
	err := h.Chunks(context.Background(), func(c finding.Chunk) error {
		for _, f := range d.Detect(c) {
			mu.Lock()
			byBlob[c.ID] = append(byBlob[c.ID], f)
			mu.Unlock()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for id := range byBlob {
		ids = append(ids, id)
	}
	locs, err := h.Locate(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	for id, list := range byBlob {
		fs = append(fs, placed(list, locs[id])...)
	}
	var buf bytes.Buffer
	rep := &report.Report{Tool: report.Tool{Name: "scanner"}, Target: report.Target{Kind: "git", Path: r.dir}, Findings: fs}
	if err := report.WriteJSON(&buf, rep, report.Options{}); err != nil {
		t.Fatal(err)
	}
	back, err := report.ReadJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return back
}
