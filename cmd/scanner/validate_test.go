package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/scanner-dev/scanner/finding"
)

// crispStandIn answers like the Crisp REST API for the plugin tier: the
// pairs in live authenticate, any other gets 401 invalid_session.
type crispStandIn struct {
	mu       sync.Mutex
	live     map[string]string // identifier -> key
	requests []string          // "tier method path"
}

func newCrispStandIn(t *testing.T, live map[string]string) *crispStandIn {
	c := &crispStandIn{live: live}
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	t.Setenv("CRISP_API_URL", srv.URL+"/v1")
	return c
}

func (c *crispStandIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tier := r.Header.Get("X-Crisp-Tier")
	c.mu.Lock()
	c.requests = append(c.requests, tier+" "+r.Method+" "+r.URL.Path)
	c.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	id, key, ok := r.BasicAuth()
	if !ok || c.live[id] != key || tier != "plugin" {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":true,"reason":"invalid_session","data":{}}`)
		return
	}
	switch r.URL.Path {
	case "/v1/plugin/connect/account":
		fmt.Fprint(w, `{"error":false,"reason":"resolved","data":{"plugin_id":"b1c5e7c2-0d3a-4d55-9a3e-6f1f6c0e2a11"}}`)
	case "/v1/plugin/connect/websites/all/1": // the workspaces the token reaches
		fmt.Fprintf(w, `{"error":false,"reason":"listed","data":[{"website_id":%q},{"website_id":%q}]}`, reachSites[0], reachSites[1])
	case "/v1/plugin/connect/websites/all/2":
		fmt.Fprint(w, `{"error":false,"reason":"listed","data":[]}`)
	}
}

// reachSites are the workspaces the stand-in says a live plugin token reaches.
var reachSites = [2]string{"3f0c1d2e-4b5a-4c6d-8e7f-9a0b1c2d3e4f", "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d"}

// TestLiveTokenReach: a live plugin token's workspaces are listed (a page,
// then an empty one) and shown in the JSON and text reports.
func TestLiveTokenReach(t *testing.T) {
	r := newTestRepo(t)
	fx := newFixture(t)
	r.write("live.env", render(t, fx, crispEnv))
	r.commit("token", "2024-03-01T10:00:00Z", "Ada Dev <ada@example.com>")
	standIn := newCrispStandIn(t, map[string]string{fx.ID: fx.Key})
	res := runCLI(t, "", "git", r.dir, "--validate", "--report-format", "json")
	res.wantCode(t, exitFindings)
	fs := readReport(t, res.stdout).Findings
	if len(fs) != 1 || fs[0].Validation == nil || fs[0].Validation.Reach == nil {
		t.Fatalf("no reach: %+v", fs)
	}
	if got := fs[0].Validation.Reach; got.Websites != 2 || len(got.WebsiteIDs) != 2 || got.WebsiteIDs[0] != reachSites[0] {
		t.Errorf("reach %+v, want the stand-in's two workspaces", got)
	}
	text := runCLI(t, "", "git", r.dir, "--validate")
	if !strings.Contains(text.stdout, "reaches 2 workspaces") {
		t.Errorf("text report does not say what the token reaches:\n%s", hide(fx, text.stdout))
	}
	if n := standIn.count(); n > 6 {
		t.Errorf("%d requests for one token checked twice", n)
	}
	noRawValues(t, fx, "reports", res.stdout+text.stdout)
}

func (c *crispStandIn) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.requests)
}

func TestValidateMarksLiveAndRevokedCrispTokens(t *testing.T) {
	r := newTestRepo(t)
	fx := newFixture(t)
	r.write("live.env", render(t, fx, crispEnv))
	r.write("old.env", render(t, fx, crispEnv2))
	r.commit("tokens", "2024-03-01T10:00:00Z", "Ada Dev <ada@example.com>")
	standIn := newCrispStandIn(t, map[string]string{fx.ID: fx.Key})

	// a website id lets the website tier be tried too: without one, a pair
	// the plugin tier refuses could still be a live website token (unknown)
	site := "--crisp-website-id=8c842203-7ed8-4e29-a608-7cf78a7d2fcc"
	res := runCLI(t, "", "git", r.dir, "--validate", site, "--report-format", "json")
	res.wantCode(t, exitFindings)
	status := map[string]*finding.Validation{}
	for _, f := range readReport(t, res.stdout).Findings {
		status[f.Path] = f.Validation
	}
	if v := status["live.env"]; v == nil || v.Status != finding.Live || v.Tier != "plugin" {
		t.Errorf("live.env validation %+v, want live on the plugin tier", v)
	}
	if v := status["old.env"]; v == nil || v.Status != finding.Invalid {
		t.Errorf("old.env validation %+v, want invalid", v)
	}
	noRawValues(t, fx, "validated report", res.stdout+res.stderr)

	// --fail-on live: a run whose only finding is revoked passes.
	r2 := newTestRepo(t)
	r2.write("old.env", render(t, fx, crispEnv2))
	r2.commit("old token", "2024-03-01T10:00:00Z", "Ada Dev <ada@example.com>")
	runCLI(t, "", "git", r2.dir, "--validate", site, "--fail-on", "live").wantCode(t, exitClean)
	runCLI(t, "", "git", r2.dir, "--validate", site).wantCode(t, exitFindings)
	// without a website id the revoked pair is unknown, which still fails
	runCLI(t, "", "git", r2.dir, "--validate", "--fail-on", "live").wantCode(t, exitFindings)
	if standIn.count() == 0 {
		t.Fatal("the stand-in saw no request")
	}
}

func TestValidateCommandReadsPairsFromStdin(t *testing.T) {
	fx := newFixture(t)
	standIn := newCrispStandIn(t, map[string]string{fx.ID: fx.Key})
	in := fmt.Sprintf("# re-check\n%s:%s\n%s:%s\n%s:%s\nnot a credential\n", fx.ID, fx.Key, fx.ID2, fx.Key2, fx.ID, fx.Key)
	site := "--crisp-website-id=8c842203-7ed8-4e29-a608-7cf78a7d2fcc"
	res := runCLI(t, in, "validate", site, "--report-format", "json", "--log-level", "error", "--validate-reach=false")
	res.wantCode(t, exitFindings) // one of them is live
	rep := readReport(t, res.stdout)
	if len(rep.Findings) != 3 {
		t.Fatalf("%d findings, want one per credential line", len(rep.Findings))
	}
	got := map[finding.Status]int{}
	for _, f := range rep.Findings {
		got[f.Validation.Status]++
	}
	if got[finding.Live] != 2 || got[finding.Invalid] != 1 {
		t.Errorf("statuses %v, want 2 live (the same pair twice) and 1 invalid", got)
	}
	// The repeated pair is checked once: live costs 1 request (the account,
	// a GET whose JSON proves it), invalid one per tier (plugin, then
	// website): 2.
	if n := standIn.count(); n != 3 {
		t.Errorf("%d requests for two distinct credentials: %v", n, standIn.requests)
	}
	noRawValues(t, fx, "validate output", res.stdout+res.stderr)

	runCLI(t, fx.ID2+":"+fx.Key2+"\n", "validate", site).wantCode(t, exitClean)
}

// A check defined by a config file inside the scanned repository must not
// send the repository's secrets anywhere the user has not allowed.
func TestRepositoryDefinedCheckNeedsAnAllowedHost(t *testing.T) {
	fx := newFixture(t)
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get("Authorization"))
		mu.Unlock()
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")

	r := newTestRepo(t)
	r.write("app.conf", "INHOUSE_TOKEN="+fx.Token+"\n")
	r.write("scanner.toml", `[[rules]]
id = "inhouse-token"
provider = "inhouse"
description = "in-house API token"
severity = "high"
regex = 'INHOUSE_TOKEN=([A-Za-z0-9]{20,})'
secretGroup = 1
keywords = ["inhouse_token"]
[rules.check]
url = "`+srv.URL+`/me"
headers = { Authorization = "Bearer {{.secret}}" }
live = [200]
invalid = [401]
`)
	r.commit("token and a hostile config", "2024-03-01T10:00:00Z", "Mal Lory <mal@example.com>")
	cfg := filepath.Join(r.dir, "scanner.toml")

	res := runCLI(t, "", "git", r.dir, "--config", cfg, "--validate", "--report-format", "json")
	res.wantCode(t, exitFindings)
	if len(got) != 0 {
		t.Fatalf("a repository-defined check reached %s without being allowed", host)
	}
	var inhouse int
	for _, f := range readReport(t, res.stdout).Findings {
		if f.RuleID == "inhouse-token" {
			inhouse++
			if f.Validation == nil || f.Validation.Status != finding.Unknown {
				t.Errorf("validation %+v, want unknown (check not allowed)", f.Validation)
			}
		}
	}
	if inhouse == 0 {
		t.Fatalf("the repository's rule found nothing:\n%s", res.stdout)
	}

	res = runCLI(t, "", "git", r.dir, "--config", cfg, "--validate", "--validate-allow-host", host, "--report-format", "json")
	want := "Bearer " + fx.Token
	if len(got) != 1 || got[0] != want {
		t.Fatalf("with the host allowed, the check sent %d requests", len(got))
	}
	for _, f := range readReport(t, res.stdout).Findings {
		if f.RuleID == "inhouse-token" && (f.Validation == nil || f.Validation.Status != finding.Live) {
			t.Errorf("allowed check: validation %+v, want live", f.Validation)
		}
	}
}
