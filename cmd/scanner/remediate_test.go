package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/remediate"
	"github.com/scanner-dev/scanner/remediate/remediatetest"
	"github.com/scanner-dev/scanner/rules"
)

// leakRepo is a repository whose CODEOWNERS gives config/ to a team and
// where Bo (GitHub login bo-ops at the stand-in) commits a live Crisp
// plugin token into config/crisp.env.
type leakRepo struct {
	repo   *testRepo
	fx     *rules.Fixture
	gh     *remediatetest.GitHub
	crisp  *crispStandIn
	ledger string
	commit string
}

func newLeakRepo(t *testing.T) *leakRepo {
	t.Helper()
	l := &leakRepo{repo: newTestRepo(t), fx: newFixture(t), ledger: filepath.Join(t.TempDir(), "state", "incidents.db")}
	l.repo.write(".github/CODEOWNERS", "*.md @acme/docs\n/config/ @acme/platform\n")
	l.repo.write("CODEOWNERS", "* @wrong-file\n")
	l.repo.commit("owners", "2024-03-01T10:00:00Z", "Ada Dev <ada@example.com>")
	l.repo.write("config/crisp.env", render(t, l.fx, crispEnv))
	l.commit = l.repo.commit("crisp", "2024-03-02T10:00:00Z", "Bo Ops <bo@example.com>")
	l.repo.git("remote", "add", "origin", "git@github.com:acme/app.git")
	l.crisp = newCrispStandIn(t, map[string]string{l.fx.ID: l.fx.Key})
	l.gh = remediatetest.NewGitHub(t, "gh-token-for-test")
	l.gh.AddRepo("acme/app", "bo-ops")
	l.gh.SetCommitAuthor("acme/app", l.commit, "bo-ops")
	t.Setenv("GITHUB_API_URL", l.gh.URL)
	t.Setenv("GITHUB_TOKEN", "gh-token-for-test")
	t.Setenv("GITHUB_REPOSITORY", "")
	return l
}

// scan runs a validated, remediated scan of the repository.
func (l *leakRepo) scan(t *testing.T, extra ...string) result {
	t.Helper()
	args := append([]string{"git", l.repo.dir, "--validate", "--remediate", "--ledger", l.ledger, "--log-level", "error"}, extra...)
	res := runCLI(t, "", args...)
	res.wantCode(t, exitFindings)
	noRawValues(t, l.fx, "scan output", res.stdout+res.stderr)
	return res
}

func (l *leakRepo) issues(t *testing.T) []remediatetest.Issue {
	t.Helper()
	is := l.gh.Issues("acme/app")
	for _, i := range is {
		noRawValues(t, l.fx, "issue", i.Title+i.Body+strings.Join(i.Comments, "\n"))
	}
	return is
}

func TestRemediateOpensOneIssueAndRecheckClosesIt(t *testing.T) {
	l := newLeakRepo(t)
	secrets := filepath.Join(t.TempDir(), "secrets.json")
	l.scan(t, "--report-format", "json", "--show-secrets", "--report-path", secrets)
	l.scan(t) // a second run: the issue is found again by its marker

	is := l.issues(t)
	if len(is) != 1 {
		t.Fatalf("%d issues, want exactly one", len(is))
	}
	fp := fingerprint(l.fx.ID, l.fx.Key)
	for _, want := range []string{"<!-- scanner:incident " + fp + " -->", "@acme/platform", "@bo-ops",
		"Marketplace", "Tokens tab", "Roll the production token", "config/crisp.env", l.commit} {
		if !strings.Contains(is[0].Body, want) {
			t.Errorf("issue body lacks %q:\n%s", want, is[0].Body)
		}
	}
	if strings.Contains(is[0].Body, "@wrong-file") || strings.Contains(is[0].Body, "Workspace Settings") {
		t.Errorf("issue body uses the wrong CODEOWNERS or the website steps:\n%s", is[0].Body)
	}
	if strings.Join(is[0].Assignees, ",") != "bo-ops" || is[0].State != "open" {
		t.Errorf("assignees %v, state %s", is[0].Assignees, is[0].State)
	}

	// still live: the recheck keeps the issue open and fails the run
	runCLI(t, "", "remediate", "--recheck", "--ledger", l.ledger, secrets).wantCode(t, exitFindings)
	if is := l.issues(t); is[0].State != "open" {
		t.Fatal("a live credential's issue was closed")
	}

	l.crisp.mu.Lock()
	delete(l.crisp.live, l.fx.ID) // the owner rolled the token
	l.crisp.mu.Unlock()
	res := runCLI(t, "", "remediate", "--recheck", "--ledger", l.ledger, "--log-level", "error", secrets)
	res.wantCode(t, exitClean)
	noRawValues(t, l.fx, "recheck output", res.stdout+res.stderr)
	is = l.issues(t)
	if len(is) != 1 || is[0].State != "closed" || len(is[0].Comments) != 1 || !strings.Contains(is[0].Comments[0], "Revocation confirmed") {
		t.Fatalf("after revocation: %+v", is)
	}

	out := runCLI(t, "", "incidents", "--ledger", l.ledger, "--format", "json")
	out.wantCode(t, exitClean)
	var got struct{ Incidents []remediate.Record }
	if err := json.Unmarshal([]byte(out.stdout), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Incidents) != 1 {
		t.Fatalf("%d incidents, want 1", len(got.Incidents))
	}
	rec := got.Incidents[0]
	if rec.Status != "revoked" || rec.RevokedAt == nil || rec.RotationAt == nil || rec.Tier != "plugin" || rec.Repository != "acme/app" || rec.IssueNumber != 1 {
		t.Errorf("incident %+v", rec)
	}
	noRawValues(t, l.fx, "incidents", out.stdout)
	ledgerBytes, _ := os.ReadFile(l.ledger)
	noRawValues(t, l.fx, "ledger file", string(ledgerBytes))
}

func TestRemediateDryRunChangesNothing(t *testing.T) {
	l := newLeakRepo(t)
	res := l.scan(t, "--dry-run")
	for _, want := range []string{"remediation plan: 1 incident", "Tokens tab", "@acme/platform", "@bo-ops", "open the incident issue in acme/app"} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("dry-run output lacks %q:\n%s", want, res.stderr)
		}
	}
	if n := len(l.gh.Issues("acme/app")); n != 0 {
		t.Errorf("dry-run opened %d issues", n)
	}
	if _, err := os.Stat(l.ledger); !os.IsNotExist(err) {
		t.Errorf("dry-run wrote the ledger (%v)", err)
	}
}

func TestRemediateCommandWorksFromARedactedReport(t *testing.T) {
	l := newLeakRepo(t)
	res := runCLI(t, "", "git", l.repo.dir, "--validate", "--report-format", "json")
	res.wantCode(t, exitFindings)
	in := strings.NewReplacer().Replace(res.stdout)
	out := runCLI(t, in, "remediate", "--ledger", l.ledger, "--github-repo", "acme/app", "--log-level", "error")
	out.wantCode(t, exitClean)
	if is := l.issues(t); len(is) != 1 || !strings.Contains(is[0].Body, "@acme/platform") {
		t.Fatalf("issues %+v", is)
	}
	// recheck refuses a redacted report: it cannot re-validate without the values
	bad := runCLI(t, in, "remediate", "--recheck", "--ledger", l.ledger)
	bad.wantCode(t, exitError)
	oneStderrLine(t, bad, "--show-secrets")
	runCLI(t, "", "incidents", "--ledger", l.ledger).wantCode(t, exitClean)
	// no ledger yet: no incidents, not an error
	none := runCLI(t, "", "incidents", "--ledger", filepath.Join(t.TempDir(), "none.db"))
	none.wantCode(t, exitClean)
	if !strings.Contains(none.stdout, "no incidents") {
		t.Errorf("incidents without a ledger: %q", none.stdout)
	}
}

func TestRemediateNeedsValidation(t *testing.T) {
	l := newLeakRepo(t)
	res := runCLI(t, "", "git", l.repo.dir, "--remediate", "--ledger", l.ledger)
	res.wantCode(t, exitError)
	oneStderrLine(t, res, "--validate")
}

func TestRemediateReviewCommentInAPullRequestRun(t *testing.T) {
	l := newLeakRepo(t)
	base := l.repo.git("rev-parse", l.commit+"^")
	n := l.gh.AddPullRequest("acme/app", l.commit)
	l.gh.DiffLines("acme/app", n, "config/crisp.env", 1, 2) // the file is new: all its lines are in the diff
	args := []string{"--range", base + ".." + l.commit, "--github-pr", strconv.Itoa(n), "--report-format", "json"}
	rep := readReport(t, l.scan(t, args...).stdout)
	l.scan(t, args...) // a re-run adds none
	if len(rep.Findings) != 1 {
		t.Fatalf("%d findings, want 1", len(rep.Findings))
	}
	loc := rep.Findings[0].Location

	rc := l.gh.ReviewComments("acme/app", n)
	if len(rc) != 1 {
		t.Fatalf("%d review comments, want exactly one: %+v", len(rc), rc)
	}
	c := rc[0]
	if c.Path != "config/crisp.env" || c.Line != loc.Line || c.Line < 1 || c.Line > 2 || c.Side != "RIGHT" || c.CommitID != l.commit {
		t.Errorf("review comment at %s:%d side %s commit %s; the finding is at %s:%d in %s",
			c.Path, c.Line, c.Side, c.CommitID, loc.Path, loc.Line, loc.Commit)
	}
	fp := fingerprint(l.fx.ID, l.fx.Key)
	for _, want := range []string{"<!-- scanner:review " + fp + " -->", "Tokens tab", "https://github.example/acme/app/issues/2"} {
		if !strings.Contains(c.Body, want) {
			t.Errorf("review comment lacks %q:\n%s", want, c.Body)
		}
	}
	noRawValues(t, l.fx, "review comment", c.Body)
	if is := l.issues(t); len(is) != 1 {
		t.Errorf("%d issues, want 1", len(is))
	}
	if conv := l.gh.Conversation("acme/app", n); len(conv) != 0 {
		t.Errorf("conversation comments %q, want none", conv)
	}
}

func TestRemediateRejectsANegativePullRequest(t *testing.T) {
	l := newLeakRepo(t)
	res := runCLI(t, "", "git", l.repo.dir, "--validate", "--remediate", "--ledger", l.ledger, "--log-level", "error", "--github-pr", "-3")
	res.wantCode(t, exitError)
	oneStderrLine(t, res, "--github-pr")
}

// TestActionRemediatesWithAReviewComment: in a pull_request run, scanner
// action hands the event's pull request to remediation, which comments on
// the leaking line once across runs.
func TestActionRemediatesWithAReviewComment(t *testing.T) {
	r := newActionRepo(t)
	ws := r.checkout(t, "main", true)
	newCrispStandIn(t, map[string]string{r.fx.ID: r.fx.Key})
	gh := remediatetest.NewGitHub(t, "gh-token-for-test")
	gh.AddRepo("acme/app")
	gh.SetCommitAuthor("acme/app", r.c2, "")
	n := gh.AddPullRequest("acme/app", r.c2)
	gh.DiffLines("acme/app", n, oddName, 1, 2)
	ledger := filepath.Join(t.TempDir(), "incidents.db")
	for run := 1; run <= 2; run++ {
		setActionEnv(t, ws, "pull_request", prEvent(n, r.c1, r.c2))
		t.Setenv("GITHUB_API_URL", gh.URL)
		t.Setenv("GITHUB_TOKEN", "gh-token-for-test")
		t.Setenv("INPUT_REMEDIATE", "true")
		t.Setenv("INPUT_ARGS", "--crisp-website-id '"+r.fx.WebsiteID+"' --ledger '"+ledger+"' --log-level warn")
		res := runCLI(t, "", "action")
		res.wantCode(t, exitFindings)
		noRawValues(t, r.fx, "action output", res.stdout+res.stderr)
		rc := gh.ReviewComments("acme/app", n)
		if len(rc) != 1 || rc[0].Path != oddName || rc[0].CommitID != r.c2 {
			t.Fatalf("run %d: review comments %+v, want one on %q in %s", run, rc, oddName, r.c2)
		}
		noRawValues(t, r.fx, "review comment", rc[0].Body)
	}
}
