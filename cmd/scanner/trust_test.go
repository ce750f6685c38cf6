package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// refusingGitHub answers every request as GitHub answers a fork's
// read-only token: 403.
func refusingGitHub(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`{"message":"Resource not accessible by integration"}`))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestActionReportsFirstWhenGitHubRefuses: with validate, remediate and
// comment on, a GitHub that refuses everything costs the alert and the
// comment, never the findings: annotations, summary, outputs, JSON and SARIF
// are all written, the exit status is the findings', and the failure shows.
func TestActionReportsFirstWhenGitHubRefuses(t *testing.T) {
	r := newActionRepo(t)
	crisp := newCrispStandIn(t, map[string]string{r.fx.ID: r.fx.Key})
	gh := refusingGitHub(t)
	ar := setActionEnv(t, r.checkout(t, "feature", false), "pull_request", prEvent(7, r.c1, r.c2))
	for k, v := range map[string]string{"GITHUB_API_URL": gh.URL, "GITHUB_TOKEN": "fork-token", "INPUT_GITHUB_TOKEN": "fork-token",
		"INPUT_VALIDATE": "true", "INPUT_REMEDIATE": "true", "INPUT_COMMENT": "true",
		"INPUT_ARGS": "--ledger " + filepath.Join(t.TempDir(), "l.db") + " --log-level error"} {
		t.Setenv(k, v)
	}
	res := runCLI(t, "", "action")
	res.wantCode(t, exitFindings)
	out := ar.outputs(t)
	if out["findings"] != "1" || out["live"] != "1" || out["remediation"] != "failed" {
		t.Errorf("outputs findings=%q live=%q remediation=%q; want 1, 1, failed", out["findings"], out["live"], out["remediation"])
	}
	if rep := readReport(t, ar.read(t, out["json-report"])); len(rep.Findings) != 1 {
		t.Errorf("JSON report holds %d findings", len(rep.Findings))
	}
	checkSARIF(t, ar.read(t, out["sarif-report"]), 1)
	if n := len(findingAnnotations(res.stdout)); n != 1 {
		t.Errorf("%d annotations, want 1", n)
	}
	summary := ar.read(t, ar.summary)
	for _, want := range []string{"remediation failed", "pull-request comment not written", r.fx.ID[:4]} {
		if !strings.Contains(summary+res.stdout, want) {
			t.Errorf("summary and log lack %q:\n%s", want, hide(r.fx, summary+res.stdout))
		}
	}
	if crisp.count() == 0 {
		t.Error("nothing was validated")
	}
	for where, text := range map[string]string{"stdout": res.stdout, "stderr": res.stderr, "summary": summary} {
		noRawValues(t, r.fx, where, text)
	}
}

// TestPullRequestCannotRerouteTheAlert: a pull request that rewrites
// CODEOWNERS to name the attacker, and leaks a live token, still alerts the
// base commit's owners.
func TestPullRequestCannotRerouteTheAlert(t *testing.T) {
	l := newLeakRepo(t)
	base := l.repo.git("rev-parse", "HEAD~1")
	l.repo.write(".github/CODEOWNERS", "* @attacker\n")
	l.repo.write("config/more.env", render(t, l.fx, crispEnv))
	head := l.repo.commit("reroute", "2024-03-03T10:00:00Z", "Eve <eve@example.com>")
	l.gh.SetCommitAuthor("acme/app", head, "bo-ops")
	l.scan(t, "--range", base+".."+head)
	is := l.issues(t)
	if len(is) != 1 {
		t.Fatalf("%d issues, want 1", len(is))
	}
	if strings.Contains(is[0].Body, "@attacker") || !strings.Contains(is[0].Body, "@acme/platform") {
		t.Errorf("issue owners come from the pull request's CODEOWNERS:\n%s", is[0].Body)
	}
}

// TestSymlinkedCodeOwnersIsNotRead: a CODEOWNERS that is a symlink out of
// the repository is not followed.
func TestSymlinkedCodeOwnersIsNotRead(t *testing.T) {
	l := newLeakRepo(t)
	outside := filepath.Join(t.TempDir(), "owners")
	writeFile(t, outside, "* @attacker\n")
	os.Remove(filepath.Join(l.repo.dir, ".github", "CODEOWNERS"))
	if err := os.Symlink(outside, filepath.Join(l.repo.dir, ".github", "CODEOWNERS")); err != nil {
		t.Fatal(err)
	}
	l.scan(t)
	is := l.issues(t)
	if len(is) != 1 {
		t.Fatalf("%d issues, want 1", len(is))
	}
	// GitHub's next place, the root CODEOWNERS, is the one that counts
	if strings.Contains(is[0].Body, "@attacker") || !strings.Contains(is[0].Body, "@wrong-file") {
		t.Errorf("owners do not come from the root CODEOWNERS (the symlinked one was read, or none):\n%s", is[0].Body)
	}
}

// TestInterruptWritesTheReportMarkedIncomplete: an interrupt (the context
// cancelled, as SIGINT does) still writes the report, marked incomplete, and
// exits 130.
func TestInterruptWritesTheReportMarkedIncomplete(t *testing.T) {
	fx := newFixture(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.env"), render(t, fx, crispEnv))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	code := run(ctx, []string{"dir", dir, "--report-format", "json"}, strings.NewReader(""), &out, &errb)
	if code != exitInterrupted {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitInterrupted, errb.String())
	}
	rep := readReport(t, out.String())
	if !rep.Stats.Incomplete {
		t.Errorf("report not marked incomplete: %+v", rep.Stats)
	}
	if !strings.Contains(errb.String(), "interrupted") {
		t.Errorf("stderr does not say it was interrupted:\n%s", errb.String())
	}
}
