package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// actionlintPath finds the actionlint binary, which .ci/run installs; a
// CI run without it fails rather than passing untested.
func actionlintPath(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("actionlint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("actionlint is not on PATH (.ci/run installs it into $(go env GOPATH)/bin)")
		}
		t.Skip("actionlint is not on PATH")
	}
	return p
}

// actionExamples are the workflows that show the action; examples/ may
// hold other workflows (and files that are not workflows).
var actionExamples = map[string]bool{"pull-request.yml": true, "push.yml": true, "nightly.yml": true}

// workflowExamples lists the example files that are GitHub workflows.
func workflowExamples(t *testing.T) []string {
	t.Helper()
	var out []string
	found := map[string]bool{}
	for _, pat := range []string{"../../examples/*.yml", "../../examples/*.yaml"} {
		files, _ := filepath.Glob(pat)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if regexp.MustCompile(`(?m)^jobs:`).Match(data) {
				out = append(out, f)
				found[filepath.Base(f)] = true
			}
		}
	}
	for name := range actionExamples {
		if !found[name] {
			t.Errorf("example workflow %s is missing", name)
		}
	}
	return out
}

// TestActionlint lints the example workflows as they are, then again in a
// repository whose root is this action with the examples calling it as
// "uses: ./": actionlint then checks action.yml's metadata and every
// input and output the examples use against it.
func TestActionlint(t *testing.T) {
	bin := actionlintPath(t)
	examples := workflowExamples(t)
	lint := func(dir string, args ...string) {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"-no-color"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("actionlint %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	abs := make([]string, len(examples))
	for i, e := range examples {
		abs[i], _ = filepath.Abs(e)
	}
	lint(".", abs...)

	repo := newTestRepo(t)
	action, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	repo.write("action.yml", string(action))
	for _, e := range examples {
		data, err := os.ReadFile(e)
		if err != nil {
			t.Fatal(err)
		}
		if actionExamples[filepath.Base(e)] && !strings.Contains(string(data), "uses: scanner-dev/scanner@main") {
			t.Errorf("%s does not use scanner-dev/scanner@main", e)
		}
		local := strings.ReplaceAll(string(data), "scanner-dev/scanner@main", "./")
		repo.write(".github/workflows/"+filepath.Base(e), local)
	}
	lint(repo.dir)
}

// TestActionInputsReachTheScriptOnlyThroughEnv: no expression is expanded
// inside a run: script of action.yml, so no input can inject shell code.
func TestActionInputsReachTheScriptOnlyThroughEnv(t *testing.T) {
	data, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	runRe := regexp.MustCompile(`(?m)^\s+run: .*$`)
	runs := runRe.FindAllString(string(data), -1)
	if len(runs) < 2 {
		t.Fatalf("found %d run: lines, want the build and the scan", len(runs))
	}
	for _, r := range runs {
		if strings.Contains(r, "${{") || strings.Contains(r, "|") && strings.HasSuffix(strings.TrimSpace(r), "|") {
			t.Errorf("run script expands an expression or is a block this test cannot read: %s", r)
		}
	}
	for _, in := range []string{"args", "validate", "remediate", "fail-on", "github-token", "sarif-file", "comment"} {
		env := "INPUT_" + strings.ToUpper(strings.ReplaceAll(in, "-", "_")) + ": ${{ inputs." + in + " }}"
		if !strings.Contains(string(data), env) {
			t.Errorf("action.yml does not pass input %s as %q", in, env)
		}
	}
}
