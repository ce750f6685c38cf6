package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/finding"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestMain(m *testing.M) {
	for k, v := range gitEnv {
		os.Setenv(k, v)
	}
	// git must not find a repository above the temporary directories
	os.Setenv("GIT_CEILING_DIRECTORIES", os.TempDir())
	version = "test"
	os.Exit(m.Run())
}

func TestGitHistoryJSONGolden(t *testing.T) {
	s := historyScenario(t)
	res := runCLI(t, "", "git", s.repo.dir, "--report-format", "json")
	res.wantCode(t, exitFindings)
	checkGolden(t, "history.json", s.scrubber(t).apply(res.stdout))
	if res.stderr != "" {
		t.Errorf("stderr: %s", res.stderr)
	}
}

func TestGitHistoryFindingsAtIntroducingCommit(t *testing.T) {
	s := historyScenario(t)
	res := runCLI(t, "", "git", s.repo.dir, "--report-format", "json")
	res.wantCode(t, exitFindings)
	got := map[string]finding.Finding{}
	for _, f := range readReport(t, res.stdout).Findings {
		if _, dup := got[f.Path]; dup {
			t.Errorf("%s reported twice", f.Path)
		}
		got[f.Path] = f
	}
	tests := []struct {
		path, rule, commit, author, email, fingerprint string
		line, column                                   int
	}{
		{".env", "crisp-token", "c2", "Bo Ops", "bo@example.com", fingerprint(s.fx.ID, s.fx.Key), 1, 18},
		{"app/settings.env", "crisp-token", "c4", "Cy Sec", "cy@example.com", fingerprint(s.fx.ID, s.fx.Key), 1, 18},
		{"legacy/crisp.env", "crisp-token", "c3", "Cy Sec", "cy@example.com", fingerprint(s.fx.ID2, s.fx.Key2), 1, 18},
		{"deploy/kustomer.env", "kustomer-api-key", "c6", "Dee Ops", "dee@example.com", fingerprint(s.fx.KustomerKey), 1, 18},
		{"scripts/call.sh", "generic-bearer-token", "c7", "Eve Dev", "eve@example.com", fingerprint(s.fx.Token), 2, 32},
	}
	if len(got) != len(tests) {
		t.Errorf("%d findings, want %d", len(got), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			f, ok := got[tt.path]
			if !ok {
				t.Fatal("not reported")
			}
			if f.RuleID != tt.rule || f.Fingerprint != tt.fingerprint {
				t.Errorf("rule %s (fingerprint match %v), want %s", f.RuleID, f.Fingerprint == tt.fingerprint, tt.rule)
			}
			if f.Commit != s.commits[tt.commit] || f.AuthorName != tt.author || f.AuthorEmail != tt.email {
				t.Errorf("at %s by %s <%s>, want %s (%s) by %s <%s>",
					f.Commit, f.AuthorName, f.AuthorEmail, tt.commit, s.commits[tt.commit], tt.author, tt.email)
			}
			if f.Line != tt.line || f.Column != tt.column {
				t.Errorf("at %d:%d, want %d:%d", f.Line, f.Column, tt.line, tt.column)
			}
		})
	}
}

func TestGitCleanRepositoryExitsZero(t *testing.T) {
	r := newTestRepo(t)
	r.write("main.go", "package main\n\nfunc main() {}\n")
	r.commit("init", "2024-01-01T10:00:00Z", "Ada Dev <ada@example.com>")
	for _, format := range []string{"text", "json", "sarif"} {
		t.Run(format, func(t *testing.T) {
			res := runCLI(t, "", "git", r.dir, "--report-format", format)
			res.wantCode(t, exitClean)
			if res.stdout == "" {
				t.Error("no report on stdout")
			}
		})
	}
}

func TestUsageAndScanErrorsExitTwo(t *testing.T) {
	plain := t.TempDir()
	writeFile(t, filepath.Join(plain, "a.txt"), "hello\n")
	badConfig := filepath.Join(t.TempDir(), "broken.toml")
	writeFile(t, badConfig, "[[rules]\nid = \"x\"\n")
	missing := filepath.Join(t.TempDir(), "does-not-exist")
	tests := []struct {
		name    string
		args    []string
		mention string // what the last stderr line must mention
		oneLine bool   // stderr is that one line only
	}{
		{"git on a plain directory", []string{"git", plain}, "not a git repository", true},
		{"git on a missing path", []string{"git", missing}, "does-not-exist", true},
		{"dir on a missing path", []string{"dir", missing}, "does-not-exist", true},
		{"malformed config", []string{"dir", plain, "--config", badConfig}, badConfig, true},
		{"missing config", []string{"dir", plain, "--config", missing}, "does-not-exist", true},
		{"unknown report format", []string{"dir", plain, "--report-format", "xml"}, "xml", true},
		{"unknown log format", []string{"stdin", "--log-format", "yaml"}, "yaml", true},
		{"unknown log level", []string{"stdin", "--log-level", "loud"}, "loud", true},
		{"bad max file size", []string{"stdin", "--max-file-size", "lots"}, "lots", true},
		{"unknown command", []string{"scan", plain}, "scan", true},
		{"staged and range", []string{"git", plain, "--staged", "--range", "a..b"}, "cannot be combined", true},
		{"two paths", []string{"git", plain, plain}, "one repository path", true},
		{"stdin with an argument", []string{"stdin", plain}, "no arguments", true},
		{"unknown flag", []string{"git", plain, "--bogus"}, "-bogus", false},
		{"flag without value", []string{"dir", plain, "--report-format"}, "report-format", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, "", tt.args...)
			res.wantCode(t, exitError)
			if res.stdout != "" {
				t.Errorf("stdout: %q", res.stdout)
			}
			lines := strings.Split(strings.TrimSuffix(res.stderr, "\n"), "\n")
			if last := lines[len(lines)-1]; !strings.HasPrefix(last, "scanner: ") || !strings.Contains(last, tt.mention) {
				t.Errorf("last stderr line %q: want \"scanner: ...\" mentioning %q", last, tt.mention)
			}
			if tt.oneLine {
				oneStderrLine(t, res, tt.mention)
			}
		})
	}
}

func TestReportPathWritesTheFileAndNotStdout(t *testing.T) {
	s := historyScenario(t)
	for _, format := range []string{"text", "json", "sarif"} {
		t.Run(format, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "report."+format)
			res := runCLI(t, "", "git", s.repo.dir, "--report-format", format, "--report-path", path)
			res.wantCode(t, exitFindings)
			if res.stdout != "" {
				t.Errorf("stdout is not empty: %q", res.stdout)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), "scripts/call.sh") {
				t.Errorf("report file does not name the findings:\n%s", b)
			}
			if format == "json" && len(readReport(t, string(b)).Findings) != 5 {
				t.Error("want 5 findings in the report file")
			}
		})
	}
	t.Run("unwritable", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "no-such-dir", "report.json")
		res := runCLI(t, "", "git", s.repo.dir, "--report-path", path)
		res.wantCode(t, exitError)
		oneStderrLine(t, res, "report")
	})
}

func TestFlagsAfterThePath(t *testing.T) {
	s := historyScenario(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "call.sh"), render(t, s.fx, bearerCurl))
	tests := []struct {
		name        string
		before, aft []string
		want        int
	}{
		{"git", []string{"git", "--report-format", "json", s.repo.dir}, []string{"git", s.repo.dir, "--report-format", "json"}, 5},
		{"git mixed", []string{"git", "--no-color", s.repo.dir, "--report-format=json"}, []string{"git", s.repo.dir, "--report-format=json", "--no-color"}, 5},
		{"dir", []string{"dir", "--report-format", "json", dir}, []string{"dir", dir, "--report-format", "json", "--workers", "2"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := s.scrubber(t)
			first, second := runCLI(t, "", tt.before...), runCLI(t, "", tt.aft...)
			first.wantCode(t, exitFindings)
			second.wantCode(t, exitFindings)
			if n := len(readReport(t, second.stdout).Findings); n != tt.want {
				t.Errorf("%d findings with the flags after the path, want %d", n, tt.want)
			}
			if sc.apply(first.stdout) != sc.apply(second.stdout) {
				t.Errorf("reports differ:\n%s\n---\n%s", first.stdout, second.stdout)
			}
		})
	}
}

// prScenario builds a pull-request-like history: base has a Crisp pair in
// config.env; branch pr appends a Kustomer key to config.env (p1) and adds a
// Bearer token in a new script (p2); main meanwhile adds a second Crisp pair.
func prScenario(t *testing.T) (*scenario, string) {
	t.Helper()
	r := newTestRepo(t)
	s := &scenario{repo: r, fx: newFixture(t), commits: map[string]string{}}
	r.write("config.env", render(t, s.fx, crispEnv))
	s.commits["base"] = r.commit("base", "2024-02-01T10:00:00Z", "Ada Dev <ada@example.com>")
	r.git("checkout", "-q", "-b", "pr")
	r.write("config.env", render(t, s.fx, crispEnv+kustomerEnv))
	s.commits["p1"] = r.commit("kustomer", "2024-02-02T10:00:00Z", "Bo Ops <bo@example.com>")
	r.write("scripts/call.sh", render(t, s.fx, bearerCurl))
	s.commits["p2"] = r.commit("script", "2024-02-03T10:00:00Z", "Cy Sec <cy@example.com>")
	r.git("checkout", "-q", "main")
	r.write("other.env", render(t, s.fx, crispEnv2))
	s.commits["m2"] = r.commit("other", "2024-02-04T10:00:00Z", "Dee Ops <dee@example.com>")
	return s, s.commits["base"]
}

func TestGitRange(t *testing.T) {
	s, base := prScenario(t)
	tests := []struct {
		name string
		spec string
		want map[string]string // path -> commit label
	}{
		{"empty range", base + ".." + base, map[string]string{}},
		{"empty range by name", "main..main", map[string]string{}},
		{"pull request", "main..pr", map[string]string{"config.env": "p1", "scripts/call.sh": "p2"}},
		{"pull request from its base", base + "..pr", map[string]string{"config.env": "p1", "scripts/call.sh": "p2"}},
		{"first commit of the pull request", base + ".." + s.commits["p1"], map[string]string{"config.env": "p1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, "", "git", s.repo.dir, "--range", tt.spec, "--report-format", "json")
			want := exitFindings
			if len(tt.want) == 0 {
				want = exitClean
			}
			res.wantCode(t, want)
			rep := readReport(t, res.stdout)
			if rep.Target.Range != tt.spec {
				t.Errorf("target range %q", rep.Target.Range)
			}
			got := map[string]string{}
			for _, f := range rep.Findings {
				got[f.Path] = f.Commit
				if f.Fingerprint == fingerprint(s.fx.ID, s.fx.Key) || f.Fingerprint == fingerprint(s.fx.ID2, s.fx.Key2) {
					t.Errorf("%s: reports a Crisp pair the range did not add (at %s)", f.Path, f.Commit)
				}
			}
			for path, label := range tt.want {
				if got[path] != s.commits[label] {
					t.Errorf("%s: at %q, want %s", path, got[path], label)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("findings at %v, want %v", got, tt.want)
			}
		})
	}
}

func TestGitRangeThatNamesNoCommit(t *testing.T) {
	s, _ := prScenario(t)
	for _, spec := range []string{"main..nope", "main", "..pr", "--all..pr"} {
		t.Run(spec, func(t *testing.T) {
			res := runCLI(t, "", "git", s.repo.dir, "--range="+spec)
			res.wantCode(t, exitError)
			oneStderrLine(t, res, "range")
		})
	}
}

func TestGitStaged(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, r *testRepo, s *scenario)
	}{
		{"repository without commits", func(*testing.T, *testRepo, *scenario) {}},
		{"staged edit of a committed file that holds a secret", func(t *testing.T, r *testRepo, s *scenario) {
			r.write("app.env", render(t, s.fx, crispEnv2))
			r.commit("init", "2024-03-01T10:00:00Z", "Ada Dev <ada@example.com>")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newTestRepo(t)
			s := &scenario{repo: r, fx: newFixture(t)}
			tt.setup(t, r, s)
			// staged: a Kustomer key; not staged: a Bearer token in the same
			// file and a Crisp pair in an untracked one
			prev, _ := os.ReadFile(filepath.Join(r.dir, "app.env"))
			r.write("app.env", string(prev)+render(t, s.fx, kustomerEnv))
			r.git("add", "app.env")
			r.write("app.env", string(prev)+render(t, s.fx, kustomerEnv+bearerCurl))
			r.write("notes.env", render(t, s.fx, crispEnv))
			res := runCLI(t, "", "git", r.dir, "--staged", "--report-format", "json")
			res.wantCode(t, exitFindings)
			rep := readReport(t, res.stdout)
			if rep.Target.Range != "staged" {
				t.Errorf("target range %q, want staged", rep.Target.Range)
			}
			if len(rep.Findings) != 1 {
				t.Fatalf("%d findings, want only the staged Kustomer key:\n%s", len(rep.Findings), s.scrubber(t).apply(res.stdout))
			}
			f := rep.Findings[0]
			if f.RuleID != "kustomer-api-key" || f.Path != "app.env" || f.Commit != "" || f.Fingerprint != fingerprint(s.fx.KustomerKey) {
				t.Errorf("finding %s at %s commit %q", f.RuleID, f.Path, f.Commit)
			}
		})
	}
}

func TestDirAndStdinReportThePath(t *testing.T) {
	fx := newFixture(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "sub", "call.sh"), render(t, fx, bearerCurl))
	writeFile(t, filepath.Join(dir, "README.md"), "nothing here\n")
	writeFile(t, filepath.Join(dir, ".git", "config.env"), render(t, fx, crispEnv))
	input := render(t, fx, "# deploy\n"+kustomerEnv)
	tests := []struct {
		name, stdin string
		args        []string
		path, rule  string
		line        int
	}{
		{"dir", "", []string{"dir", dir}, "sub/call.sh", "generic-bearer-token", 2},
		{"dir of one file", "", []string{"dir", filepath.Join(dir, "sub", "call.sh")}, filepath.ToSlash(filepath.Join(dir, "sub", "call.sh")), "generic-bearer-token", 2},
		{"stdin", input, []string{"stdin"}, "stdin", "kustomer-api-key", 2},
		{"stdin with --path", input, []string{"stdin", "--path", "deploy/app.env"}, "deploy/app.env", "kustomer-api-key", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, tt.stdin, append(tt.args, "--report-format", "json")...)
			res.wantCode(t, exitFindings)
			rep := readReport(t, res.stdout)
			if len(rep.Findings) != 1 {
				t.Fatalf("%d findings, want 1", len(rep.Findings))
			}
			f := rep.Findings[0]
			if f.Path != tt.path || f.RuleID != tt.rule || f.Line != tt.line || f.Commit != "" {
				t.Errorf("got %s at %s:%d (commit %q), want %s at %s:%d", f.RuleID, f.Path, f.Line, f.Commit, tt.rule, tt.path, tt.line)
			}
			text := runCLI(t, tt.stdin, tt.args...)
			text.wantCode(t, exitFindings)
			if !strings.HasPrefix(text.stdout, tt.path+":") {
				t.Errorf("text report does not start with the path %q:\n%s", tt.path, hide(fx, text.stdout))
			}
		})
	}
	t.Run("clean stdin", func(t *testing.T) {
		runCLI(t, "just text\n", "stdin").wantCode(t, exitClean)
	})
}

func TestNoRawSecretInAnyFormatOrLog(t *testing.T) {
	s := historyScenario(t)
	stdin := render(t, s.fx, crispEnv+kustomerEnv+bearerCurl)
	targets := map[string][]string{"git": {"git", s.repo.dir}, "dir": {"dir", s.repo.dir}, "stdin": {"stdin"}}
	for _, c := range leakCases() {
		t.Run(c.name, func(t *testing.T) {
			args := append(targets[c.command], "--report-format", c.format, "--log-level", "debug", "--log-format", c.logFormat)
			if c.show {
				args = append(args, "--show-secrets")
			}
			res := runCLI(t, stdin, args...)
			res.wantCode(t, exitFindings)
			if c.command == "git" && !strings.Contains(res.stderr, "no ref reaches") {
				t.Errorf("no debug log about the dangling blob on stderr:\n%s", hide(s.fx, res.stderr))
			}
			noRawValues(t, s.fx, "stdout", res.stdout)
			noRawValues(t, s.fx, "stderr", res.stderr)
		})
	}
}

func TestShowSecretsRevealsThePartsInJSON(t *testing.T) {
	s := historyScenario(t)
	res := runCLI(t, "", "git", s.repo.dir, "--report-format", "json", "--show-secrets")
	res.wantCode(t, exitFindings)
	want := map[string]map[string]string{
		".env":                {"identifier": s.fx.ID, "key": s.fx.Key},
		"legacy/crisp.env":    {"identifier": s.fx.ID2, "key": s.fx.Key2},
		"deploy/kustomer.env": {"token": s.fx.KustomerKey},
		"scripts/call.sh":     {"token": s.fx.Token},
	}
	got := map[string]finding.Finding{}
	for _, f := range readReport(t, res.stdout).Findings {
		got[f.Path] = f
	}
	for path, parts := range want {
		t.Run(path, func(t *testing.T) {
			f := got[path]
			if len(f.Parts) != len(parts) {
				t.Fatalf("%d parts, want %d", len(f.Parts), len(parts))
			}
			for name, v := range parts {
				if p, ok := f.Part(name); !ok || p.Reveal() != v {
					t.Errorf("part %s is not the raw value", name)
				}
			}
			if finding.Fingerprint(f.Parts...) != f.Fingerprint {
				t.Error("parts read back do not give the fingerprint")
			}
		})
	}
}

// A pull request whose commits take a file that holds a secret at BASE
// away and put it back (a revert, a "git checkout main -- file") adds no
// secret: the net change of the range is empty.
func TestGitRangeDoesNotReportASecretAlreadyAtBase(t *testing.T) {
	tests := []struct {
		name    string
		restore func(r *testRepo)
	}{
		{"lines removed then reverted", func(r *testRepo) {
			r.write("config.env", "LOG_LEVEL=info\n")
			r.commit("drop crisp", "2024-02-02T10:00:00Z", "Bo Ops <bo@example.com>")
			r.gitWith(commitEnv("2024-02-03T10:00:00Z", "Bo Ops <bo@example.com>"), "revert", "--no-edit", "HEAD")
		}},
		{"file deleted then checked out from base", func(r *testRepo) {
			r.git("rm", "-q", "config.env")
			r.commit("delete", "2024-02-02T10:00:00Z", "Bo Ops <bo@example.com>")
			r.git("checkout", "main", "--", "config.env")
			r.commit("restore", "2024-02-03T10:00:00Z", "Bo Ops <bo@example.com>")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newTestRepo(t)
			fx := newFixture(t)
			r.write("config.env", render(t, fx, crispEnv+"LOG_LEVEL=info\n"))
			r.commit("base", "2024-02-01T10:00:00Z", "Ada Dev <ada@example.com>")
			r.git("checkout", "-q", "-b", "pr")
			tt.restore(r)
			if diff := r.git("diff", "main", "pr"); diff != "" {
				t.Fatalf("the range changes something:\n%s", hide(fx, diff))
			}
			res := runCLI(t, "", "git", r.dir, "--range", "main..pr", "--report-format", "json")
			if res.code != exitClean {
				for _, f := range readReport(t, res.stdout).Findings {
					t.Errorf("reported %s in %s at %s, a secret already present at the range's base", f.RuleID, f.Path, f.Commit)
				}
				t.Errorf("exit %d, want %d", res.code, exitClean)
			}
		})
	}
}
