package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/report"
)

func findingPaths(t *testing.T, stdout string) []string {
	t.Helper()
	var out []string
	for _, f := range readReport(t, stdout).Findings {
		out = append(out, f.Path)
	}
	return out
}

func TestBaselineHidesOldFindingsAndSurvivesMovedLines(t *testing.T) {
	r := newTestRepo(t)
	fx := newFixture(t)
	r.write("old.env", render(t, fx, crispEnv))
	r.commit("old token", "2024-01-01T10:00:00Z", "Ada Dev <ada@example.com>")

	res := runCLI(t, "", "baseline", "create", r.dir, "--note", "rolled in January")
	res.wantCode(t, exitClean)
	data, err := os.ReadFile(filepath.Join(r.dir, ".scanner-baseline.json"))
	if err != nil {
		t.Fatal(err)
	}
	noRawValues(t, fx, "baseline file", string(data))
	if strings.Contains(string(data), `"line"`) || !strings.Contains(string(data), "rolled in January") {
		t.Errorf("baseline keyed by line, or without the note:\n%s", data)
	}
	r.commit("baseline", "2024-01-02T10:00:00Z", "Ada Dev <ada@example.com>")

	// lines move above the old token; a new token comes in elsewhere
	r.write("old.env", "# header\n# more\n\n"+render(t, fx, crispEnv))
	r.write("new.env", render(t, fx, crispEnv2))
	r.commit("new token", "2024-01-03T10:00:00Z", "Bo Ops <bo@example.com>")

	res = runCLI(t, "", "git", r.dir, "--report-format", "json")
	res.wantCode(t, exitFindings)
	rep := readReport(t, res.stdout)
	if got := findingPaths(t, res.stdout); len(got) != 1 || got[0] != "new.env" {
		t.Errorf("reported %v, want only new.env", got)
	}
	if rep.Stats.Suppressed["baseline"] != 1 {
		t.Errorf("suppressed %v, want baseline: 1", rep.Stats.Suppressed)
	}

	// update adds the new one and keeps the note of the old one
	runCLI(t, "", "baseline", "update", r.dir).wantCode(t, exitClean)
	f, _ := os.Open(filepath.Join(r.dir, ".scanner-baseline.json"))
	b, err := report.ReadBaseline(f)
	f.Close()
	if err != nil || len(b.Entries) != 2 {
		t.Fatalf("updated baseline %+v, %v: want 2 entries", b, err)
	}
	notes := 0
	for _, e := range b.Entries {
		if e.Note == "rolled in January" {
			notes++
		}
	}
	if notes != 1 {
		t.Errorf("%d entries keep the note, want 1", notes)
	}
	runCLI(t, "", "git", r.dir).wantCode(t, exitClean)
}

func TestEarlierReportServesAsBaseline(t *testing.T) {
	r := newTestRepo(t)
	fx := newFixture(t)
	r.write("a.env", render(t, fx, crispEnv))
	r.commit("a", "2024-01-01T10:00:00Z", "Ada Dev <ada@example.com>")
	prev := filepath.Join(t.TempDir(), "last-week.json")
	runCLI(t, "", "git", r.dir, "--report-format", "json", "--report-path", prev).wantCode(t, exitFindings)
	r.write("b.env", render(t, fx, crispEnv2))
	r.commit("b", "2024-01-02T10:00:00Z", "Ada Dev <ada@example.com>")
	res := runCLI(t, "", "git", r.dir, "--baseline", prev, "--report-format", "json")
	if got := findingPaths(t, res.stdout); len(got) != 1 || got[0] != "b.env" {
		t.Errorf("reported %v, want only b.env", got)
	}
	runCLI(t, "", "git", r.dir, "--baseline", filepath.Join(t.TempDir(), "missing.json")).wantCode(t, exitError)
}

// A pull request that adds a secret and, with it, an allowlist entry or a
// baseline entry for it is still caught: in range runs both are read from
// the base commit.
func TestPullRequestCannotHideItsOwnSecret(t *testing.T) {
	for _, hide := range []string{"config", "baseline", "explicit config"} {
		t.Run(hide, func(t *testing.T) {
			r := newTestRepo(t)
			fx := newFixture(t)
			r.write("README.md", "# app\n")
			r.write(".scanner.toml", "[[allowlists]]\npaths = [\"docs/**\"]\n")
			r.commit("base", "2024-01-01T10:00:00Z", "Ada Dev <ada@example.com>")
			r.git("checkout", "-q", "-b", "pr")
			r.write("deploy/prod.env", render(t, fx, crispEnv))
			r.write("docs/example.env", render(t, fx, crispEnv2)) // allowed by the base's config
			switch hide {
			case "config", "explicit config":
				r.write(".scanner.toml", "[[allowlists]]\npaths = [\"docs/**\", \"deploy/**\"]\n")
			case "baseline":
				fp := fingerprint(fx.ID, fx.Key)
				r.write(".scanner-baseline.json", `{"version":1,"kind":"baseline","entries":[{"fingerprint":"`+fp+`","added":"2024-01-01T00:00:00Z"}]}`)
			}
			r.commit("add token and hide it", "2024-01-02T10:00:00Z", "Mal Lory <mal@example.com>")

			args := []string{"git", r.dir, "--range", "main..pr", "--report-format", "json"}
			if hide == "explicit config" {
				args = append(args, "--config", filepath.Join(r.dir, ".scanner.toml"))
			}
			res := runCLI(t, "", args...)
			res.wantCode(t, exitFindings)
			if got := findingPaths(t, res.stdout); len(got) != 1 || got[0] != "deploy/prod.env" {
				t.Errorf("reported %v, want deploy/prod.env only (docs/ is allowed at the base)", got)
			}

			// the same files do hide it in a history scan, which reads them
			// from the work tree: the base commit is what makes the difference
			runCLI(t, "", "git", r.dir).wantCode(t, exitClean)
		})
	}
}

func TestInlineAllowDoesNotHideALiveCredential(t *testing.T) {
	r := newTestRepo(t)
	fx := newFixture(t)
	r.write("live.env", render(t, fx, "CRISP_IDENTIFIER={{.ID}} # scanner:allow\nCRISP_KEY={{.Key}} # scanner:allow\n"))
	r.write("dead.env", render(t, fx, "CRISP_IDENTIFIER={{.ID2}} # scanner:allow\nCRISP_KEY={{.Key2}} # scanner:allow\n"))
	r.commit("allowed tokens", "2024-01-01T10:00:00Z", "Ada Dev <ada@example.com>")
	newCrispStandIn(t, map[string]string{fx.ID: fx.Key})
	site := "--crisp-website-id=8c842203-7ed8-4e29-a608-7cf78a7d2fcc"

	runCLI(t, "", "git", r.dir).wantCode(t, exitClean) // offline: the comments hold
	res := runCLI(t, "", "git", r.dir, "--validate", site, "--report-format", "json")
	res.wantCode(t, exitFindings)
	rep := readReport(t, res.stdout)
	if len(rep.Findings) != 1 || rep.Findings[0].Path != "live.env" || rep.Findings[0].Details["inline_allow"] == "" {
		t.Fatalf("findings %v, want live.env only, saying the inline allow was ignored", findingPaths(t, res.stdout))
	}
	if rep.Stats.Suppressed["inline"] != 1 {
		t.Errorf("suppressed %v, want inline: 1 (the dead one)", rep.Stats.Suppressed)
	}
	runCLI(t, "", "git", r.dir, "--validate", site, "--inline-allow-live").wantCode(t, exitClean)
}

func TestRulesListAndTest(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.toml")
	writeFile(t, good, `[[rules]]
id = "acme-key"
description = "ACME key"
severity = "high"
regex = 'acme_(?P<key>[a-f0-9]{64})'
keywords = ["acme_"]
[[rules.examples]]
name = "env"
text = "ACME=acme_{{.Hex}}"
secret = "{{.Hex}}"
[[rules.examples]]
name = "too short"
text = "ACME=acme_abc"
`)
	res := runCLI(t, "", "rules", "list", "--config", good)
	res.wantCode(t, exitClean)
	for _, id := range []string{"crisp-token", "kustomer-api-key", "acme-key"} {
		if !strings.Contains(res.stdout, id) {
			t.Errorf("rules list lacks %s:\n%s", id, res.stdout)
		}
	}
	res = runCLI(t, "", "rules", "test", good)
	if res.code != exitClean || !strings.Contains(res.stdout, "1 rules, 2 examples, 0 failed") {
		t.Errorf("rules test of a good file: exit %d\n%s", res.code, res.stdout)
	}
	bad := filepath.Join(dir, "bad.toml")
	writeFile(t, bad, strings.Replace(readFile(t, good), `text = "ACME=acme_abc"`, `text = "ACME=acme_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"`, 1))
	res = runCLI(t, "", "rules", "test", bad)
	if res.code != exitFindings || !strings.Contains(res.stdout, "FAIL") || !strings.Contains(res.stdout, "too short") {
		t.Errorf("rules test of a failing file: exit %d\n%s", res.code, res.stdout)
	}
	runCLI(t, "", "rules", "test").wantCode(t, exitClean) // the built-in rules pass
	runCLI(t, "", "rules", "test", filepath.Join(dir, "missing.toml")).wantCode(t, exitError)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
