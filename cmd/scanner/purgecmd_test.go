package main

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/rules"
)

// runCmd runs a command function with empty stdin and returns its exit code
// and output.
func runCmd(t *testing.T, fn func(context.Context, []string, env) (int, error), args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code, err := fn(context.Background(), args, env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut})
	if err != nil {
		errOut.WriteString("error: " + err.Error())
	}
	return code, out.String(), errOut.String()
}

// TestPurgePlanFilterRepoVerify is issue 17.4 end to end: a leaked pair
// pushed to a server, a JSON report made by "scanner git", the plan, the
// printed commands run for real (git filter-repo included), and
// verify-purged at 0 on the server while the old clone still has it.
func TestPurgePlanFilterRepoVerify(t *testing.T) {
	if _, err := exec.LookPath("git-filter-repo"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("git-filter-repo is not installed (Debian package git-filter-repo)")
		}
		t.Skip("git-filter-repo is not installed")
	}
	r := newPushRig(t, false)
	fx := rules.NewFixture(rand.New(rand.NewPCG(3, 5)))
	r.commit("README.md", "# app\n", "readme")
	r.commit("config/app.env", "CRISP_IDENTIFIER="+fx.ID+"\nCRISP_KEY="+fx.Key+"\n", "config")
	r.gitIn(r.client, "push", "-q", "origin", "main")
	noRaw := func(step, out string) {
		t.Helper()
		if strings.Contains(out, fx.ID) || strings.Contains(out, fx.Key) {
			t.Fatalf("%s printed a raw value", step)
		}
	}
	rep := filepath.Join(t.TempDir(), "report.json")
	if code, _, stderr := runCmd(t, runGit, r.client, "--report-format", "json", "--report-path", rep); code != exitFindings {
		t.Fatalf("scanner git: exit %d\n%s", code, stderr)
	}
	mirror := filepath.Join(t.TempDir(), "mirror.git")
	code, plan, stderr := runCmd(t, runPurgePlan, rep, "--repo", r.client, "--clone-dir", mirror)
	noRaw("purge-plan", plan+stderr)
	expr := filepath.Join(r.client, ".git", "scanner-purge-expressions.txt")
	if fi, err := os.Stat(expr); code != exitClean || err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("purge-plan: exit %d, expressions %v\n%s%s", code, err, plan, stderr)
	}
	for _, want := range []string{"Roll the key first", "config/app.env", "refs/heads/main", expr, "pull request refs"} {
		if !strings.Contains(plan, want) {
			t.Errorf("the plan lacks %q:\n%s", want, plan)
		}
	}
	for _, c := range planCommands(plan) {
		if rest, ok := strings.CutPrefix(c, "scanner verify-purged "); ok {
			code, out, _ := runCmd(t, runVerifyPurged, strings.Fields(rest)...)
			if code != exitClean || !strings.Contains(out, "0 of 1 fingerprints reachable") {
				t.Fatalf("verify-purged in the rewritten clone: exit %d\n%s", code, out)
			}
			continue
		}
		cmd := exec.Command("sh", "-c", c)
		cmd.Env = append(os.Environ(), prGitEnv...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", c, err, out)
		}
	}
	code, out, _ := runCmd(t, runVerifyPurged, "--repo", r.server, rep)
	noRaw("verify-purged", out)
	if code != exitClean || !strings.Contains(out, "0 of 1 fingerprints reachable") {
		t.Fatalf("verify-purged on the server: exit %d\n%s", code, out)
	}
	code, out, _ = runCmd(t, runVerifyPurged, "--repo", r.client, rep)
	noRaw("verify-purged", out)
	if code != exitFindings || !strings.Contains(out, "1 of 1 fingerprints reachable") || !strings.Contains(out, "still reachable: config/app.env:1") {
		t.Fatalf("verify-purged on the old clone: exit %d\n%s", code, out)
	}
}

// planCommands returns the commands of the plan's rewrite step.
func planCommands(plan string) []string {
	_, after, _ := strings.Cut(plan, "4. Rewrite")
	var out []string
	for _, line := range strings.Split(after, "\n")[1:] {
		if !strings.HasPrefix(line, "     ") {
			break
		}
		if c := strings.TrimSpace(line); !strings.HasPrefix(c, "#") {
			out = append(out, c)
		}
	}
	return out
}

func TestPurgeCommandsRefuseBadArguments(t *testing.T) {
	for _, fn := range []func(context.Context, []string, env) (int, error){runPurgePlan, runVerifyPurged} {
		if code, _, _ := runCmd(t, fn); code != exitError {
			t.Errorf("no report: exit %d", code)
		}
		if code, _, _ := runCmd(t, fn, filepath.Join(t.TempDir(), "missing.json")); code != exitError {
			t.Errorf("missing report: exit %d", code)
		}
	}
}
