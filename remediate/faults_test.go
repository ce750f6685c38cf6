package remediate

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/remediate/remediatetest"
)

// GitHub under load: rate limits and gateway errors on issue creation and
// listing. The run completes with one issue per credential, including when
// the gateway failed after GitHub had opened the issue.
func TestRetriesUnderFaultsOpenOneIssuePerCredential(t *testing.T) {
	fx := newFixture(t)
	const issues = "/repos/acme/app/issues"
	fx.gh.Inject(
		remediatetest.SecondaryRateLimit("POST", issues, http.StatusForbidden, 1),
		remediatetest.SecondaryRateLimit("POST", issues, http.StatusTooManyRequests, 2),
		remediatetest.PrimaryRateLimit("GET", issues, fx.now.Add(time.Minute)),
		remediatetest.Fault{Method: "GET", Path: issues, Status: http.StatusBadGateway},
		remediatetest.Fault{Method: "POST", Path: issues, Status: http.StatusBadGateway},
		remediatetest.Fault{Method: "POST", Path: issues, Status: http.StatusServiceUnavailable, After: true},
		remediatetest.Fault{Method: "POST", Path: issues, Status: http.StatusGatewayTimeout, After: true},
	)
	var fs []finding.Finding
	var pairs []string
	for i := range 4 {
		id, key := crispPair(t)
		pairs = append(pairs, id+":"+key)
		fs = append(fs, crispFinding(id, key, "config/"+string(rune('a'+i))+".env", "", finding.Live))
	}
	res := fx.run(t, fs)
	if n := fx.gh.Pending(); n != 0 {
		t.Errorf("%d injected faults never answered: the test did not exercise them", n)
	}
	if len(res) != 4 {
		t.Errorf("%d results, want one issue step per credential", len(res))
	}
	fx.run(t, fs) // a re-run updates, never duplicates
	oneIssueEach(t, fx.gh, pairs)
}

// A failing step is a failed Result with an error free of secrets; the
// other steps run and succeed.
func TestFailedStepIsReportedWithoutSecrets(t *testing.T) {
	fx := newFixture(t)
	dead := httptest.NewServer(http.NotFoundHandler())
	slackURL := dead.URL + "/services/T0/B0/" + randHex(t, 24)
	dead.Close() // nothing answers: the error names the URL
	fx.cfg = &Config{Slack: SlackConfig{WebhookURL: slackURL}}
	id, key := crispPair(t)
	f := crispFinding(id, key, "a.env", "", finding.Live)
	r := fx.remediator(false)
	p, _ := r.Plan(context.Background(), Group([]finding.Finding{f}, "acme/app", finding.Live))
	res, err := r.Apply(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || !res[0].OK || res[0].Step.Kind != StepIssue || res[1].OK || res[1].Step.Kind != StepSlack {
		t.Fatalf("results %+v, want the issue done and Slack failed", res)
	}
	text := res[1].Error + res.Err().Error()
	if !strings.Contains(text, "slack") || strings.Contains(text, slackURL) || strings.Contains(text, "/services/") {
		t.Errorf("error text %q: want the failure without the webhook URL", text)
	}
	var b strings.Builder
	p2, _ := fx.remediator(false).Plan(context.Background(), Group([]finding.Finding{f}, "acme/app", finding.Live))
	if _, err := (DryRun{W: &b}).Apply(context.Background(), p2); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "alert Slack") {
		t.Errorf("the failed Slack step is not planned again:\n%s", b.String())
	}
	noRaw(t, "plan", b.String(), id, key, slackURL)
}

// The printed plan is the list of steps Apply runs: same keys, same order.
func TestDryRunPrintsExactlyTheStepsApplyRuns(t *testing.T) {
	fx := newFixture(t)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer hook.Close()
	fx.cfg = &Config{Exec: []ExecHook{{Name: "roll", Command: []string{"true"}}},
		Webhook: []Webhook{{URL: hook.URL + "/hook/" + randHex(t, 16)}}}
	id, key := crispPair(t)
	f := crispFinding(id, key, "a.env", "", finding.Live)
	r := fx.remediator(false)
	p, _ := r.Plan(context.Background(), Group([]finding.Finding{f}, "acme/app", finding.Live))
	var b strings.Builder
	planned, _ := DryRun{W: &b}.Apply(context.Background(), p)
	applied, err := r.Apply(context.Background(), p)
	if err != nil || applied.Err() != nil {
		t.Fatal(err, applied.Err())
	}
	if keys(planned) != keys(applied) || len(applied) != 4 {
		t.Errorf("planned %s\napplied %s", keys(planned), keys(applied))
	}
	for _, s := range p.Steps {
		if !strings.Contains(b.String(), s.Key) {
			t.Errorf("printed plan lacks step %s", s.Key)
		}
	}
	noRaw(t, "plan", b.String(), id, key, fx.cfg.Webhook[0].URL)
	again, _ := fx.remediator(false).Plan(context.Background(), Group([]finding.Finding{f}, "acme/app", finding.Live))
	if len(again.Steps) != 1 || again.Steps[0].Kind != StepIssue || again.Steps[0].Issue != 1 {
		t.Errorf("after the run the plan is %+v, want only the update of issue #1", again.Steps)
	}
}

func keys(rs Results) string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Step.Key)
	}
	return strings.Join(out, " ")
}

func TestIssueSaysWhatTheCredentialReaches(t *testing.T) {
	fx := newFixture(t)
	id, key := crispPair(t)
	f := crispFinding(id, key, "a.env", "", finding.Live)
	ws1, ws2 := randHex(t, 32), randHex(t, 32)
	f.Validation.Reach = &finding.Reach{Websites: 2, WebsiteIDs: []string{ws1, ws2 + "`**"}}
	fx.run(t, []finding.Finding{f})
	body := fx.gh.Issues("acme/app")[0].Body
	want := "This token reaches 2 workspace(s): `" + ws1 + "`, `" + ws2 + "`."
	if !strings.Contains(body, want) {
		t.Errorf("issue body lacks %q:\n%s", want, body)
	}
	k := &Incident{Finding: finding.Finding{Validation: &finding.Validation{Reach: &finding.Reach{
		Org: "acme", Roles: []string{"org.user.read", "org.admin"}, Expires: time.Date(2027, 1, 2, 3, 4, 0, 0, time.UTC)}}}}
	if got := reachText(k); !strings.Contains(got, "organisation `acme` with the roles `org.user.read`, `org.admin`; it expires 2027-01-02 03:04 UTC.") {
		t.Errorf("kustomer reach %q", got)
	}
}

func TestDefaultStateDirIsOutsideTheRepository(t *testing.T) {
	t.Setenv("SCANNER_STATE_DIR", "/srv/scanner-state")
	if d, _ := DefaultStateDir(); d != "/srv/scanner-state" {
		t.Errorf("SCANNER_STATE_DIR: %s", d)
	}
	t.Setenv("SCANNER_STATE_DIR", "")
	t.Setenv("XDG_STATE_HOME", "/xdg/state")
	if p, _ := DefaultLedger(); p != "/xdg/state/scanner/incidents.db" {
		t.Errorf("XDG_STATE_HOME: %s", p)
	}
	t.Setenv("XDG_STATE_HOME", "")
	t.Setenv("HOME", "/home/bo")
	if d, _ := DefaultStateDir(); d != "/home/bo/.local/state/scanner" {
		t.Errorf("HOME: %s", d)
	}
	if _, err := os.Stat(".scanner"); err == nil {
		t.Error("a .scanner directory exists in the package directory")
	}
}

func TestReadOnlyLedgerPlansWithoutWriting(t *testing.T) {
	dir := t.TempDir()
	if l, err := OpenLedgerReadOnly(dir + "/none.db"); l != nil || err != nil {
		t.Fatalf("missing ledger: %v %v", l, err)
	}
	fx := newFixture(t)
	id, key := crispPair(t)
	f := crispFinding(id, key, "a.env", "", finding.Live)
	fx.run(t, []finding.Finding{f})
	path := dir + "/incidents.db"
	w, err := OpenLedger(path)
	if err != nil {
		t.Fatal(err)
	}
	r := fx.remediator(false)
	r.o.Ledger = w
	p, _ := r.Plan(context.Background(), Group([]finding.Finding{f}, "acme/app", finding.Live))
	if _, err := r.Apply(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	w.Close()
	ro, err := OpenLedgerReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	r.o.Ledger = ro
	p, _ = r.Plan(context.Background(), Group([]finding.Finding{f}, "acme/app", finding.Live))
	if len(p.Steps) != 1 || p.Steps[0].Issue != 1 {
		t.Errorf("plan from the read-only ledger: %+v", p.Steps)
	}
	if err := ro.AddEvent(context.Background(), f.Fingerprint, "x", "y", fx.now); err == nil {
		t.Error("the read-only ledger took a write")
	}
}
