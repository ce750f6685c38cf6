package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/rules"
)

// oddName is a file name holding every character a workflow command
// property must escape, and a line that would be a command of its own.
const oddName = "conf/odd%,a\n::error file=evil::b.env"

// oddNameEscaped is oddName as an annotation's file= property.
const oddNameEscaped = "conf/odd%25%2Ca%0A%3A%3Aerror file=evil%3A%3Ab.env"

// actionRepo is an upstream repository with a clean main (c1) and a branch
// feature whose commit c2 adds a Crisp pair under oddName.
type actionRepo struct {
	up     *testRepo
	fx     *rules.Fixture
	c1, c2 string
}

func newActionRepo(t *testing.T) *actionRepo {
	t.Helper()
	r := &actionRepo{up: newTestRepo(t), fx: newFixture(t)}
	r.up.write("README.md", "# demo\n")
	r.c1 = r.up.commit("readme", "2024-01-01T10:00:00Z", "Ada Dev <ada@example.com>")
	r.up.git("checkout", "-q", "-b", "feature")
	r.up.write(oddName, render(t, r.fx, crispEnv))
	r.c2 = r.up.commit("add settings", "2024-01-02T10:00:00Z", "Bo Ops <bo@example.com>")
	r.up.git("checkout", "-q", "main")
	return r
}

// checkout clones the upstream as actions/checkout would: branch, and depth
// 1 when shallow (0 for the whole history).
func (r *actionRepo) checkout(t *testing.T, branch string, shallow bool) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ws")
	args := []string{"clone", "-q", "--no-tags", "--branch", branch}
	if shallow {
		args = append(args, "--depth", "1")
	}
	r.up.git(append(args, "file://"+r.up.dir, dir)...)
	return dir
}

// actionRun is the runner's side of one step: the files it hands the step.
type actionRun struct {
	dir, summary, output, temp string
}

// setActionEnv sets the variables the runner sets for a step running in
// workspace on event (name, payload).
func setActionEnv(t *testing.T, workspace, name string, payload any) *actionRun {
	t.Helper()
	d := t.TempDir()
	ar := &actionRun{dir: d, summary: filepath.Join(d, "summary.md"), output: filepath.Join(d, "output"), temp: filepath.Join(d, "runner-temp")}
	if err := os.Mkdir(ar.temp, 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(d, "event.json"), string(data))
	for k, v := range map[string]string{
		"GITHUB_EVENT_NAME": name, "GITHUB_EVENT_PATH": filepath.Join(d, "event.json"),
		"GITHUB_WORKSPACE": workspace, "GITHUB_STEP_SUMMARY": ar.summary, "GITHUB_OUTPUT": ar.output,
		"RUNNER_TEMP": ar.temp, "GITHUB_REPOSITORY": "acme/app", "GITHUB_API_URL": "", "GITHUB_TOKEN": "",
		"INPUT_ARGS": "", "INPUT_VALIDATE": "", "INPUT_REMEDIATE": "", "INPUT_FAIL_ON": "",
		"INPUT_GITHUB_TOKEN": "", "INPUT_SARIF_FILE": "", "INPUT_COMMENT": "",
	} {
		t.Setenv(k, v)
	}
	return ar
}

func prEvent(number int, base, head string) map[string]any {
	return map[string]any{
		"number": number,
		"pull_request": map[string]any{"number": number,
			"base": map[string]any{"sha": base, "ref": "main"}, "head": map[string]any{"sha": head, "ref": "feature"}},
		"repository": map[string]any{"full_name": "acme/app", "default_branch": "main"},
	}
}

func pushEvent(ref, before, after string) map[string]any {
	return map[string]any{"ref": ref, "before": before, "after": after,
		"repository": map[string]any{"full_name": "acme/app", "default_branch": "main"}}
}

// outputs parses the $GITHUB_OUTPUT file (name<<DELIM form only).
func (ar *actionRun) outputs(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile(ar.output)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		name, delim, ok := strings.Cut(lines[i], "<<")
		if !ok {
			t.Fatalf("output line %q is not in the name<<DELIMITER form", lines[i])
		}
		var val []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			val = append(val, lines[i])
		}
		if i == len(lines) {
			t.Fatalf("output %s: delimiter never closes", name)
		}
		out[name] = strings.Join(val, "\n")
	}
	return out
}

// findingAnnotations returns the annotations the runner would read from
// stdout as it reads workflow commands: line by line, skipping what
// ::stop-commands::TOKEN frames until ::TOKEN::. The scanner's own warnings
// carry no file= and are left out.
func findingAnnotations(stdout string) []string {
	var out []string
	stop := ""
	for _, line := range strings.Split(stdout, "\n") {
		switch {
		case stop != "":
			if line == "::"+stop+"::" {
				stop = ""
			}
		case strings.HasPrefix(line, "::stop-commands::"):
			stop = strings.TrimPrefix(line, "::stop-commands::")
		case regexp.MustCompile(`^::(error|warning|notice) file=`).MatchString(line):
			out = append(out, line)
		}
	}
	return out
}

func (ar *actionRun) read(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// checkSARIF fails unless path holds SARIF 2.1.0 with n results.
func checkSARIF(t *testing.T, data string, n int) {
	t.Helper()
	var s struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(data), &s); err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	if s.Version != "2.1.0" || len(s.Runs) != 1 || len(s.Runs[0].Results) != n {
		t.Fatalf("SARIF version %q, %d runs, want 2.1.0 with %d results", s.Version, len(s.Runs), n)
	}
}
