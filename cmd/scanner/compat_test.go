package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// gitleaksRepo holds one Crisp pair in app/.env and another under vendor/.
func gitleaksRepo(t *testing.T) (*testRepo, string) {
	t.Helper()
	fx := newFixture(t)
	r := newTestRepo(t)
	r.write("README.md", "# app\n")
	base := r.commit("readme", "2024-01-01T10:00:00Z", "Ada Dev <ada@example.com>")
	r.write("app/.env", render(t, fx, crispEnv))
	r.write("vendor/lib/.env", render(t, fx, crispEnv2))
	r.commit("settings", "2024-01-02T10:00:00Z", "Ada Dev <ada@example.com>")
	return r, base
}

func paths(t *testing.T, stdout string) []string {
	t.Helper()
	var out []string
	for _, f := range readReport(t, stdout).Findings {
		out = append(out, f.Path)
	}
	return out
}

// A gitleaks command line runs unchanged, with gitleaks' meaning.
func TestGitleaksCommandLines(t *testing.T) {
	r, base := gitleaksRepo(t)
	res := runCLI(t, "", "detect", "--source", r.dir, "-f", "json", "-r", "-", "--redact", "--no-banner", "--exit-code", "3", "-l", "warn")
	res.wantCode(t, 3)
	if got := paths(t, res.stdout); len(got) != 2 {
		t.Fatalf("detect: %v", got)
	}
	res = runCLI(t, "", "git", r.dir, "--log-opts", base+"..HEAD", "-f", "json", "--redact=100", "-v")
	res.wantCode(t, exitFindings)
	if !strings.Contains(res.stderr, "found: crisp-token") {
		t.Errorf("-v printed no finding:\n%s", res.stderr)
	}
	if rep := readReport(t, res.stdout); rep.Target.Range != base+"..HEAD" {
		t.Errorf("--log-opts range = %q", rep.Target.Range)
	}
	for _, bad := range [][]string{{"--log-opts", "--since=2024-01-01"}, {"--redact=0"}, {"--enable-rule", "nope"}} {
		out := runCLI(t, "", append([]string{"git", r.dir}, bad...)...)
		out.wantCode(t, exitError)
		if n := strings.Count(strings.TrimSpace(out.stderr), "\n"); n != 0 {
			t.Errorf("%v: %d lines of error:\n%s", bad, n+1, out.stderr)
		}
	}
	one := runCLI(t, "", "git", r.dir, "--enable-rule", "generic-bearer-token", "-f", "json")
	one.wantCode(t, exitClean)
	// gitleaks' --timeout takes seconds; detect --pipe reads standard input
	runCLI(t, "", "git", r.dir, "--timeout", "600").wantCode(t, exitFindings)
	data, err := os.ReadFile(filepath.Join(r.dir, "app", ".env"))
	if err != nil {
		t.Fatal(err)
	}
	piped := runCLI(t, string(data), "detect", "--pipe", "-f", "json")
	piped.wantCode(t, exitFindings)
	if got := paths(t, piped.stdout); len(got) != 1 {
		t.Errorf("detect --pipe: %v", got)
	}
}

// .gitleaks.toml is read with gitleaks' meaning: its allowlist paths are
// regular expressions, so (^|/)vendor/ hides the vendored copy.
func TestGitleaksConfigAndIgnoreFile(t *testing.T) {
	r, _ := gitleaksRepo(t)
	r.write(".gitleaks.toml", "[extend]\nuseDefault = true\n\n[allowlist]\ndescription = \"vendored code\"\npaths = ['''(^|/)vendor/''']\n")
	res := runCLI(t, "", "git", r.dir, "-f", "json")
	res.wantCode(t, exitFindings)
	if got := paths(t, res.stdout); len(got) != 1 || got[0] != "app/.env" {
		t.Fatalf("with .gitleaks.toml: %v", got)
	}
	rep := readReport(t, res.stdout)
	f := rep.Findings[0]
	r.write(".gitleaksignore", "# reviewed\n"+f.Commit+":app/.env:"+f.RuleID+":"+itoa(f.Line)+"\n")
	res = runCLI(t, "", "git", r.dir, "-f", "json")
	res.wantCode(t, exitClean)
	if rep := readReport(t, res.stdout); rep.Stats.Suppressed["baseline"] != 1 || rep.Stats.Suppressed["allowlist"] != 1 {
		t.Errorf("suppressed %v, want one by .gitleaksignore and one by the allowlist", rep.Stats.Suppressed)
	}
}

// A gitleaks JSON report works as a baseline (-b).
func TestGitleaksReportAsBaseline(t *testing.T) {
	r, _ := gitleaksRepo(t)
	res := runCLI(t, "", "git", r.dir, "-f", "json")
	var gl []map[string]any
	for _, f := range readReport(t, res.stdout).Findings {
		gl = append(gl, map[string]any{"RuleID": "generic-api-key", "File": f.Path, "StartLine": f.Line, "EndLine": f.Line,
			"Commit": f.Commit, "Secret": "REDACTED", "Match": "REDACTED", "Fingerprint": f.Commit + ":" + f.Path + ":generic-api-key:" + itoa(f.Line)})
	}
	data, _ := json.Marshal(gl)
	path := filepath.Join(t.TempDir(), "gitleaks-report.json")
	writeFile(t, path, string(data))
	runCLI(t, "", "git", r.dir, "-b", path).wantCode(t, exitClean)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
