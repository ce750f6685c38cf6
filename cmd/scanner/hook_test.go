package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// preCommit runs the real pre-commit program in dir.
type preCommit struct {
	t    *testing.T
	root string   // this repository: the hook's source
	env  []string // shared PRE_COMMIT_HOME and Go caches
}

func newPreCommit(t *testing.T) *preCommit {
	if _, err := exec.LookPath("pre-commit"); err != nil {
		t.Skip("pre-commit is not installed (.ci/run installs it)")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	env := os.Environ()
	for _, v := range []string{"GOMODCACHE", "GOCACHE"} {
		out, err := exec.Command("go", "env", v).Output()
		if err != nil {
			t.Fatal(err)
		}
		env = append(env, v+"="+strings.TrimSpace(string(out)))
	}
	env = append(env, "PRE_COMMIT_HOME="+t.TempDir(), "GOFLAGS=-buildvcs=false")
	return &preCommit{t: t, root: root, env: env}
}

// tryRepo runs "pre-commit try-repo ROOT HOOK [args]" in dir: the hook as
// a user tries it before adding it to their config.
func (p *preCommit) tryRepo(dir string, args ...string) (int, string) {
	p.t.Helper()
	cmd := exec.Command("pre-commit", append([]string{"try-repo", p.root, "scanner", "--verbose"}, args...)...)
	cmd.Dir, cmd.Env = dir, p.env
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, string(out)
	case !errorsAs(err, &ee):
		p.t.Fatalf("pre-commit: %v\n%s", err, out)
	}
	return ee.ExitCode(), string(out)
}

func errorsAs(err error, target **exec.ExitError) bool {
	ee, ok := err.(*exec.ExitError)
	if ok {
		*target = ee
	}
	return ok
}

func TestPreCommitHookWithTheRealProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the hook with pre-commit")
	}
	p := newPreCommit(t)
	fx := newFixture(t)
	token := render(t, fx, crispEnv)

	r := newTestRepo(t)
	r.write("README.md", "# app\n")
	r.commit("start", "2024-01-01T10:00:00Z", "Ada Dev <ada@example.com>")

	// a staged token blocks, without its value, with advice
	r.write("config.env", token)
	r.git("add", "config.env")
	code, out := p.tryRepo(r.dir)
	if code == 0 || !strings.Contains(out, "crisp-token") || !strings.Contains(out, "roll it now") {
		t.Fatalf("staged token: exit %d, want a block naming the rule\n%s", code, hide(fx, out))
	}
	noRawValues(t, fx, "hook output", out)

	// unstaged and replaced by a clean change: passes
	r.git("reset", "-q", "config.env")
	os.Remove(filepath.Join(r.dir, "config.env"))
	r.write("notes.txt", "nothing secret\n")
	r.git("add", "notes.txt")
	if code, out := p.tryRepo(r.dir); code != 0 {
		t.Fatalf("clean change: exit %d\n%s", code, hide(fx, out))
	}

	// --all-files checks what is already committed: not a silent no-op
	r.write("legacy.env", token)
	r.commit("old token (hook bypassed)", "2024-01-02T10:00:00Z", "Ada Dev <ada@example.com>")
	code, out = p.tryRepo(r.dir, "--all-files")
	if code == 0 || !strings.Contains(out, "legacy.env") {
		t.Fatalf("--all-files: exit %d, want the committed token reported\n%s", code, hide(fx, out))
	}
	noRawValues(t, fx, "--all-files output", out)

	// a repository without commits yet is scanned too
	empty := newTestRepo(t)
	empty.write("first.env", render(t, fx, crispEnv2))
	empty.git("add", "first.env")
	if code, out := p.tryRepo(empty.dir); code == 0 || !strings.Contains(out, "first.env") {
		t.Fatalf("first commit: exit %d, want a block\n%s", code, hide(fx, out))
	}
}
