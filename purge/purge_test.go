package purge

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/finding"
)

// leakyRepo is a bare "server" and a clone of it whose history holds a
// Crisp pair: added in config/app.env, carried over by a later edit, and
// copied to docs/setup.md on a feature branch; everything pushed.
func leakyRepo(t *testing.T) (server, work *gitRepo, p pair) {
	t.Helper()
	base := t.TempDir()
	server = newRepo(t, filepath.Join(base, "server.git"))
	server.git("config", "core.bare", "true")
	run(t, base, "rm", "-rf", filepath.Join(server.dir, "index"))
	work = &gitRepo{t: t, dir: filepath.Join(base, "work")}
	run(t, base, "git", "clone", "-q", server.dir, work.dir)
	p = newPair(42)
	work.commit("README.md", "# app\n", "readme")
	work.commit("config/app.env", "PORT=8080\n"+p.env(), "config")
	work.commit("config/app.env", "PORT=9090\n"+p.env(), "port")
	work.git("checkout", "-q", "-b", "feature")
	work.commit("docs/setup.md", "Set\n\n    CRISP_IDENTIFIER = \""+p.id+"\"\n    CRISP_KEY = \""+p.key+"\"\n", "docs")
	work.git("checkout", "-q", "main")
	work.git("push", "-q", "origin", "main", "feature")
	return server, work, p
}

func TestTargetsGroupsByFingerprint(t *testing.T) {
	fs := []finding.Finding{
		{Fingerprint: "sha256:a", RuleID: "r", Location: finding.Location{Path: "x", Blob: "b1"}},
		{Fingerprint: "", RuleID: "r"},
		{Fingerprint: "sha256:b", RuleID: "s", Location: finding.Location{Path: "y", Blob: "b2"}},
		{Fingerprint: "sha256:a", RuleID: "r", Location: finding.Location{Path: "z", Blob: "b1"}},
	}
	ts := Targets(fs)
	if len(ts) != 2 || ts[0].Fingerprint != "sha256:a" || len(ts[0].Places) != 2 || ts[1].RuleID != "s" {
		t.Fatalf("targets %+v", ts)
	}
	if got := reportBlobs(ts); strings.Join(got, ",") != "b1,b2" {
		t.Fatalf("blobs %v", got)
	}
}

func TestPlanFindsTheValuesAndPrintsNoneOfThem(t *testing.T) {
	_, work, p := leakyRepo(t)
	d := detector(t)
	rep := scanReport(t, work, d)
	if len(rep.Findings) == 0 {
		t.Fatal("the scan found nothing to purge")
	}
	for name, fs := range map[string][]finding.Finding{"blobs": rep.Findings, "history": withoutBlobs(rep.Findings)} {
		t.Run(name, func(t *testing.T) {
			plan, err := NewPlan(context.Background(), work.open(), d, fs)
			if err != nil {
				t.Fatal(err)
			}
			if len(plan.Found) != 1 || len(plan.Missing) != 0 || plan.Expressions() != 1 {
				t.Fatalf("found %d, missing %d, expressions %d", len(plan.Found), len(plan.Missing), plan.Expressions())
			}
			if got := strings.Join(plan.Paths, " "); got != "config/app.env docs/setup.md" {
				t.Errorf("paths %q", got)
			}
			if got := strings.Join(plan.Refs, " "); !strings.Contains(got, "refs/heads/feature") || !strings.Contains(got, "refs/heads/main") {
				t.Errorf("refs %q", got)
			}
			if len(plan.Commits) != 3 {
				t.Errorf("commits %v, want the three that wrote a blob holding it", plan.Commits)
			}
			expr := filepath.Join(t.TempDir(), "expr.txt")
			if err := os.WriteFile(expr, []byte("old\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := plan.WriteExpressions(expr); err != nil {
				t.Fatal(err)
			}
			fi, _ := os.Stat(expr)
			body, _ := os.ReadFile(expr)
			if fi.Mode().Perm() != 0o600 || !strings.HasPrefix(string(body), "literal:"+p.key+"==>***REMOVED-") || strings.Count(string(body), "\n") != 1 {
				t.Errorf("expressions file: mode %v, %d lines, holds the key: %v", fi.Mode(), strings.Count(string(body), "\n"), strings.Contains(string(body), p.key))
			}
			var out bytes.Buffer
			if err := plan.Print(&out, PrintOptions{Report: "r.json", Expressions: expr}); err != nil {
				t.Fatal(err)
			}
			s := out.String()
			if strings.Contains(s, p.key) || strings.Contains(s, p.id) {
				t.Fatal("the plan printed a raw value")
			}
			for _, want := range []string{"Roll the key first", "filter-repo --replace-text " + expr, "pull request refs", "docs/setup.md", "refs/heads/feature"} {
				if !strings.Contains(s, want) {
					t.Errorf("plan lacks %q:\n%s", want, s)
				}
			}
		})
	}
}

func withoutBlobs(fs []finding.Finding) []finding.Finding {
	out := append([]finding.Finding(nil), fs...)
	for i := range out {
		out[i].Blob = ""
	}
	return out
}

func TestPlanOfACredentialNotInTheRepository(t *testing.T) {
	_, work, _ := leakyRepo(t)
	fs := []finding.Finding{{Fingerprint: "sha256:" + strings.Repeat("0", 64), RuleID: "crisp"}}
	plan, err := NewPlan(context.Background(), work.open(), detector(t), fs)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Found) != 0 || len(plan.Missing) != 1 {
		t.Fatalf("found %d, missing %d", len(plan.Found), len(plan.Missing))
	}
	var out bytes.Buffer
	_ = plan.Print(&out, PrintOptions{})
	if !strings.Contains(out.String(), "Nothing to rewrite") {
		t.Fatalf("plan:\n%s", out.String())
	}
}

func TestWriteExpressionsRefusesASymlink(t *testing.T) {
	dir := t.TempDir()
	target, link := filepath.Join(dir, "elsewhere"), filepath.Join(dir, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Skip(err)
	}
	p := &Plan{replace: map[string]replacement{"v": {value: finding.NewSecret("v"), rule: "r"}}}
	if err := p.WriteExpressions(link); err == nil {
		t.Fatal("wrote through a symbolic link")
	}
	if _, err := os.Stat(target); err == nil {
		t.Fatal("the link's target was created")
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{"/a/b.git": "/a/b.git", "a b": "'a b'", "it's": `'it'\''s'`, "": "''", "$(x)": "'$(x)'"} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPurgeWithFilterRepo runs the printed commands for real: a mirror
// clone of the server, git filter-repo, a forced push back; then Verify
// finds none of the report's fingerprints on the server, and still finds it
// in the old clone.
func TestPurgeWithFilterRepo(t *testing.T) {
	if _, err := exec.LookPath("git-filter-repo"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("git-filter-repo is not installed (Debian package git-filter-repo)")
		}
		t.Skip("git-filter-repo is not installed")
	}
	server, work, p := leakyRepo(t)
	d := detector(t)
	rep := scanReport(t, work, d)
	plan, err := NewPlan(context.Background(), work.open(), d, rep.Findings)
	if err != nil {
		t.Fatal(err)
	}
	expr := filepath.Join(t.TempDir(), ExpressionsName)
	if err := plan.WriteExpressions(expr); err != nil {
		t.Fatal(err)
	}
	mirror := filepath.Join(t.TempDir(), "mirror.git")
	var out bytes.Buffer
	if err := plan.Print(&out, PrintOptions{Report: "report.json", Expressions: expr, CloneDir: mirror}); err != nil {
		t.Fatal(err)
	}
	cmds := printedCommands(out.String())
	if len(cmds) < 5 {
		t.Fatalf("commands %q", cmds)
	}
	for _, c := range cmds {
		if strings.HasPrefix(c, "scanner verify-purged") {
			checkVerify(t, &gitRepo{t: t, dir: mirror}, rep.Findings, 0)
			continue
		}
		run(t, t.TempDir(), "sh", "-c", c)
	}
	if _, err := os.Stat(expr); err == nil {
		t.Error("the expressions file is still there after the printed rm")
	}
	checkVerify(t, server, rep.Findings, 0)
	checkVerify(t, work, rep.Findings, 1)
	if got := run(t, server.dir, "git", "show", "main:config/app.env"); strings.Contains(got, p.key) || !strings.Contains(got, "***REMOVED-") {
		t.Fatalf("config/app.env on the server after the purge:\n%s", strings.ReplaceAll(got, p.key, "<KEY>"))
	}
}

// printedCommands returns the commands of the plan's rewrite step.
func printedCommands(plan string) []string {
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

func checkVerify(t *testing.T, r *gitRepo, fs []finding.Finding, want int) {
	t.Helper()
	var fps []string
	for _, tg := range Targets(fs) {
		fps = append(fps, tg.Fingerprint)
	}
	v, err := Verify(context.Background(), r.open(), detector(t), fps)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	_ = v.Print(&out)
	if v.ReachableFingerprints() != want || v.Total != len(fps) {
		t.Fatalf("%s: %d of %d reachable, want %d:\n%s", r.dir, v.ReachableFingerprints(), v.Total, want, out.String())
	}
	if want > 0 && !strings.Contains(out.String(), "still reachable: config/app.env") {
		t.Fatalf("verdict does not say where:\n%s", out.String())
	}
}
