package remediate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/ghapi"
	"github.com/scanner-dev/scanner/remediate/remediatetest"
)

func randHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n/2)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// crispPair is a random Crisp-shaped pair generated for the test.
func crispPair(t *testing.T) (string, string) {
	h := randHex(t, 32)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32], randHex(t, 64)
}

func crispFinding(id, key, path, commit string, st finding.Status) finding.Finding {
	parts := []finding.Part{{Name: "identifier", Value: finding.NewSecret(id)}, {Name: "key", Value: finding.NewSecret(key)}}
	return finding.Finding{RuleID: "crisp-token", Provider: "crisp", Severity: finding.High, Parts: parts,
		Fingerprint: finding.Fingerprint(parts...),
		Location:    finding.Location{Path: path, Line: 2, Commit: commit, AuthorName: "Bo Ops", AuthorEmail: "bo@example.com"},
		Validation:  &finding.Validation{Status: st, Tier: "plugin"}}
}

// fixture is a remediator wired to a stand-in GitHub and a fresh ledger.
type fixture struct {
	gh  *remediatetest.GitHub
	led *Ledger
	now time.Time
	cfg *Config
	pr  PullRequest
	t   *testing.T
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	gh := remediatetest.NewGitHub(t, "gh-test-token")
	gh.AddRepo("acme/app", "bo-ops")
	led, err := OpenLedger(filepath.Join(t.TempDir(), "x", "incidents.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { led.Close() })
	return &fixture{gh: gh, led: led, now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), cfg: &Config{}, t: t}
}

func noSleep(context.Context, time.Duration) error { return nil }

// client is remediation's GitHub on a ghapi client for the stand-in, whose
// retries do not really wait.
func (fx *fixture) client() *GitHub {
	c, err := ghapi.New(ghapi.Options{BaseURL: fx.gh.URL, Token: "gh-test-token", Retry: ghapi.Retry{Sleep: noSleep}})
	if err != nil {
		fx.t.Fatal(err)
	}
	return NewGitHub(c)
}

func (fx *fixture) remediator(revoke bool) *Remediator {
	return New(Options{Ledger: fx.led, GitHub: fx.client(), PullRequest: fx.pr,
		CodeOwners: ParseCodeOwners("*.md @docs\n/config/ @acme/platform\n"), Config: fx.cfg,
		Revoke: revoke, Backoff: time.Millisecond, Now: func() time.Time { return fx.now }, Log: zerolog.Nop()})
}

func (fx *fixture) run(t *testing.T, fs []finding.Finding) Results {
	t.Helper()
	r := fx.remediator(false)
	p, err := r.Plan(context.Background(), Group(fs, "acme/app", finding.Live))
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Apply(context.Background(), p)
	if err == nil {
		err = res.Err()
	}
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestApplyOpensOneIssueAndRecheckClosesIt(t *testing.T) {
	fx := newFixture(t)
	id, key := crispPair(t)
	f := crispFinding(id, key, "config/crisp.env", "c0ffee", finding.Live)
	fx.gh.SetCommitAuthor("acme/app", "c0ffee", "bo-ops")
	fx.run(t, []finding.Finding{f})
	fx.run(t, []finding.Finding{f}) // a re-run: no duplicate

	issues := fx.gh.Issues("acme/app")
	if len(issues) != 1 {
		t.Fatalf("%d issues, want 1", len(issues))
	}
	is := issues[0]
	for _, want := range []string{Marker(f.Fingerprint), "@acme/platform", "@bo-ops", "Tokens tab", "production token", f.Redacted()} {
		if !strings.Contains(is.Body, want) {
			t.Errorf("issue body lacks %q:\n%s", want, is.Body)
		}
	}
	if strings.Join(is.Assignees, ",") != "bo-ops" || strings.Join(is.Labels, ",") != "security,leaked-credential" {
		t.Errorf("assignees %v labels %v", is.Assignees, is.Labels)
	}
	noRaw(t, "issue", is.Title+is.Body, id, key)

	f.Validation = &finding.Validation{Status: finding.Invalid}
	res, err := fx.remediator(false).Recheck(context.Background(), []finding.Finding{f, f})
	if err != nil || res.Revoked != 1 {
		t.Fatalf("recheck %+v, %v", res, err)
	}
	is = fx.gh.Issues("acme/app")[0]
	if is.State != "closed" || len(is.Comments) != 1 || !strings.Contains(is.Comments[0], "Revocation confirmed") {
		t.Errorf("issue after recheck: state %s, comments %q", is.State, is.Comments)
	}
	rec, _ := fx.led.Get(context.Background(), f.Fingerprint)
	if rec.Status != StatusRevoked || rec.RevokedAt == nil || rec.RotationAt == nil || rec.IssueNumber != 1 {
		t.Errorf("ledger record %+v", rec)
	}
}

func noRaw(t *testing.T, where, text string, raws ...string) {
	t.Helper()
	for _, r := range raws {
		if strings.Contains(text, r) {
			t.Errorf("%s holds a raw credential value", where)
		}
	}
}

func TestAssigneeWithoutAccessIsMentionedOnly(t *testing.T) {
	fx := newFixture(t)
	id, key := crispPair(t)
	f := crispFinding(id, key, "README.md", "beef", finding.Live)
	fx.gh.SetCommitAuthor("acme/app", "beef", "outsider")
	fx.run(t, []finding.Finding{f})
	is := fx.gh.Issues("acme/app")
	if len(is) != 1 || len(is[0].Assignees) != 0 || !strings.Contains(is[0].Body, "@outsider") || !strings.Contains(is[0].Body, "@docs") {
		t.Fatalf("issues %+v", is)
	}
}

func TestLiveAgainReopensTheClosedIssue(t *testing.T) {
	fx := newFixture(t)
	id, key := crispPair(t)
	f := crispFinding(id, key, "a.env", "", finding.Live)
	fx.run(t, []finding.Finding{f})
	f.Validation = &finding.Validation{Status: finding.Invalid}
	if _, err := fx.remediator(false).Recheck(context.Background(), []finding.Finding{f}); err != nil {
		t.Fatal(err)
	}
	f.Validation = &finding.Validation{Status: finding.Live, Tier: "plugin"}
	fx.run(t, []finding.Finding{f})
	is := fx.gh.Issues("acme/app")
	if len(is) != 1 || is[0].State != "open" || len(is[0].Comments) != 2 {
		t.Fatalf("issues %+v", is)
	}
	if rec, _ := fx.led.Get(context.Background(), f.Fingerprint); rec.Status != StatusOpen {
		t.Errorf("ledger status %s, want open again", rec.Status)
	}
}

func TestEscalatesOnceAfterTheDeadline(t *testing.T) {
	fx := newFixture(t)
	fx.cfg.EscalateAfter = Duration{24 * time.Hour}
	id, key := crispPair(t)
	f := crispFinding(id, key, "config/x.env", "", finding.Live)
	fx.run(t, []finding.Finding{f})
	recheck := func() RecheckResult {
		res, err := fx.remediator(false).Recheck(context.Background(), []finding.Finding{f})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := recheck(); res.Live != 1 || res.Escalated != 0 {
		t.Errorf("before the deadline: %+v", res)
	}
	fx.now = fx.now.Add(25 * time.Hour)
	if res := recheck(); res.Escalated != 1 {
		t.Errorf("after the deadline: %+v", res)
	}
	recheck()
	is := fx.gh.Issues("acme/app")[0]
	if len(is.Comments) != 1 || !strings.Contains(is.Comments[0], "@acme/platform") || is.State != "open" {
		t.Errorf("comments %q state %s, want one escalation mentioning the owners", is.Comments, is.State)
	}
}

func TestGroupKeepsAskedStatusesAndMergesLocations(t *testing.T) {
	id, key := crispPair(t)
	a := crispFinding(id, key, "a.env", "1", finding.Live)
	b := crispFinding(id, key, "b.env", "2", finding.Live)
	u := crispFinding(key[:8]+id[8:], key, "u.env", "3", finding.Unknown)
	s := crispFinding(id, key, "s.env", "4", finding.Live)
	s.Suppressed = "inline"
	incs := Group([]finding.Finding{a, b, u, s}, "acme/app", finding.Live)
	if len(incs) != 1 || len(incs[0].Locations) != 2 || incs[0].Tier != "plugin" {
		t.Fatalf("incidents %+v", incs)
	}
	if n := len(Group([]finding.Finding{a, u}, "", finding.Live, finding.Unknown)); n != 2 {
		t.Errorf("%d incidents with unknown asked for, want 2", n)
	}
}

func TestParseRepo(t *testing.T) {
	for in, want := range map[string]string{
		"https://github.com/acme/app.git":           "acme/app",
		"git@github.com:acme/app.git":               "acme/app",
		"ssh://git@ghe.example:22/acme/app":         "acme/app",
		"https://ghe.example/scm/acme/app/":         "acme/app",
		"not a remote":                              "",
		"https://github.com/":                       "",
		"https://x-access-token@github.com/o/r.git": "o/r",
	} {
		if got := ParseRepo(in); got != want {
			t.Errorf("ParseRepo(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIssueFoundAgainPastTheFirstPage(t *testing.T) {
	fx := newFixture(t)
	gh := fx.client()
	for i := 0; i < 130; i++ {
		title, body := fmt.Sprintf("bug %d", i), "unrelated"
		if _, err := gh.CreateIssue(context.Background(), "acme/app", IssueRequest{Title: &title, Body: &body}); err != nil {
			t.Fatal(err)
		}
	}
	id, key := crispPair(t)
	f := crispFinding(id, key, "a.env", "", finding.Live)
	fx.run(t, []finding.Finding{f})
	fx.run(t, []finding.Finding{f})
	if n := len(fx.gh.Issues("acme/app")); n != 131 {
		t.Errorf("%d issues, want the 130 others and one incident", n)
	}
}
