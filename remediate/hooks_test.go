package remediate

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/scanner-dev/scanner/finding"
)

// receiver is a webhook endpoint that checks signatures and fails the first
// fail requests with 503.
type receiver struct {
	mu     sync.Mutex
	key    string
	fail   int
	bodies []string
	bad    int
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.fail > 0 {
		rc.fail--
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	if rc.key != "" && r.Header.Get("X-Scanner-Signature") != Sign([]byte(rc.key), body) {
		rc.bad++
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	rc.bodies = append(rc.bodies, string(body))
}

func (rc *receiver) events() []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []string
	for _, b := range rc.bodies {
		var p struct{ Event, Text string }
		_ = json.Unmarshal([]byte(b), &p)
		out = append(out, p.Event+p.Text[:min(len(p.Text), 16)])
	}
	return out
}

func TestHooksWebhooksAndSlackFireOnce(t *testing.T) {
	fx := newFixture(t)
	hook := &receiver{key: "hmac-key-for-test", fail: 2}
	slack := &receiver{}
	hookSrv, slackSrv := httptest.NewServer(hook), httptest.NewServer(slack)
	defer hookSrv.Close()
	defer slackSrv.Close()
	t.Setenv("TEST_HOOK_KEY", hook.key)
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "remediate.toml")
	out, outSecret := filepath.Join(dir, "plain.json"), filepath.Join(dir, "secret.json")
	cfg := `escalate_after = "1h"
labels = ["leak"]
[[exec]]
name = "plain"
command = ["sh", "-c", "cat > ` + out + `"]
[[exec]]
name = "with-secret"
command = ["sh", "-c", "cat > ` + outSecret + `"]
include_secret = true
providers = ["crisp"]
[[webhook]]
url = "` + hookSrv.URL + `"
secret_env = "TEST_HOOK_KEY"
[slack]
webhook_url = "` + slackSrv.URL + `"
`
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := LoadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	fx.cfg = c
	id, key := crispPair(t)
	f := crispFinding(id, key, "config/a.env", "", finding.Live)
	fx.run(t, []finding.Finding{f})
	fx.run(t, []finding.Finding{f})

	if got := strings.Join(hook.events(), ","); got != "rotate,alert" || hook.bad != 0 {
		t.Errorf("webhook got %q (bad signatures %d), want rotate then alert once each", got, hook.bad)
	}
	if len(slack.bodies) != 1 {
		t.Errorf("%d Slack messages, want 1", len(slack.bodies))
	}
	plain, _ := os.ReadFile(out)
	withSecret, _ := os.ReadFile(outSecret)
	if !strings.Contains(string(plain), f.Fingerprint) || !strings.Contains(string(withSecret), key) {
		t.Errorf("exec hooks got %d and %d bytes without the expected content", len(plain), len(withSecret))
	}
	noRaw(t, "plain exec hook input", string(plain), id, key)
	noRaw(t, "webhook and slack bodies", strings.Join(append(hook.bodies, slack.bodies...), "\n"), id, key)
	if is := fx.gh.Issues("acme/app"); len(is) != 1 || strings.Join(is[0].Labels, ",") != "leak" {
		t.Errorf("issues %+v", is)
	}

	f.Validation = &finding.Validation{Status: finding.Invalid}
	if _, err := fx.remediator(false).Recheck(context.Background(), []finding.Finding{f}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(hook.events(), ","); got != "rotate,alert,revoked" {
		t.Errorf("webhook events %q after revocation", got)
	}
}

func TestWebhookGivesUpAfterRetries(t *testing.T) {
	rc := &receiver{fail: 100}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	p := poster{http: srv.Client(), retries: 2, backoff: 1}
	err := p.sendWebhook(context.Background(), Webhook{URL: srv.URL}, []byte(`{}`))
	if err == nil || !strings.Contains(err.Error(), "after 3 attempts") || rc.fail != 97 {
		t.Errorf("err %v, %d failures left", err, rc.fail)
	}
}

func TestKustomerRevokesOnlyWithRevoke(t *testing.T) {
	var mu sync.Mutex
	var calls []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls = append(calls, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization"))
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	tok := "eyJ" + randHex(t, 40)
	parts := []finding.Part{{Name: "token", Value: finding.NewSecret(tok)}}
	f := finding.Finding{RuleID: "kustomer-api-key", Provider: "kustomer", Parts: parts, Fingerprint: finding.Fingerprint(parts...),
		Location: finding.Location{Path: "k.env", Line: 1}, Validation: &finding.Validation{Status: finding.Live}}
	for _, revoke := range []bool{false, true} {
		fx := newFixture(t)
		r := fx.remediator(revoke)
		r.o.KustomerURL = srv.URL
		p, _ := r.Plan(context.Background(), Group([]finding.Finding{f}, "acme/app", finding.Live))
		var b strings.Builder
		if _, err := (DryRun{W: &b}).Apply(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		want := "note: revocation DELETE " + srv.URL + "/v1/auth/tokens/current is not a step"
		if revoke {
			want = "revoke: DELETE " + srv.URL + "/v1/auth/tokens/current"
		}
		if !strings.Contains(b.String(), want) {
			t.Errorf("revoke %v: plan lacks %q:\n%s", revoke, want, b.String())
		}
		noRaw(t, "plan", b.String(), tok)
		if res, err := r.Apply(context.Background(), p); err != nil || res.Err() != nil {
			t.Fatal(err, res.Err())
		}
	}
	if len(calls) != 1 || calls[0] != "DELETE /v1/auth/tokens/current Bearer "+tok {
		t.Errorf("%d revocation calls, want exactly one with --revoke", len(calls))
	}
}

func TestLoadConfigRejectsMistakes(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"unknown key": "escalate_afterr = \"1h\"\n",
		"no command":  "[[exec]]\nname = \"x\"\n",
		"no url":      "[[webhook]]\nname = \"x\"\n",
		"bad":         "escalate_after = \"soon\"\n",
	} {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".toml")
		os.WriteFile(p, []byte(text), 0o600)
		if _, err := LoadConfig(p); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestWritePlanShowsStepsAndOwners(t *testing.T) {
	fx := newFixture(t)
	id, key := crispPair(t)
	f := crispFinding(id, key, "config/a.env", "", finding.Live)
	f.Validation.Tier = "website"
	p, _ := fx.remediator(false).Plan(context.Background(), Group([]finding.Finding{f}, "acme/app", finding.Live))
	var b strings.Builder
	res, err := DryRun{W: &b}.Apply(context.Background(), p)
	if err != nil || len(res) != 1 || res[0].Step.Kind != StepIssue || res[0].Detail != "planned" {
		t.Fatalf("dry run results %+v, %v", res, err)
	}
	for _, want := range []string{"Advanced configuration", "Regenerate", "@acme/platform", "bo@example.com", "open the incident issue in acme/app"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("plan lacks %q:\n%s", want, b.String())
		}
	}
	noRaw(t, "plan", b.String(), id, key)
	if len(fx.gh.Issues("acme/app")) != 0 {
		t.Error("planning opened an issue")
	}
}
