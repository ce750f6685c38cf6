package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/rules"
)

// apiRepo is a repository as the stand-in API lists it.
type apiRepo struct {
	FullName string `json:"full_name"`
	Name     string `json:"name"`
	CloneURL string `json:"clone_url"`
	Size     int    `json:"size"`
	Archived bool   `json:"archived"`
	Fork     bool   `json:"fork"`
}

// githubStandIn serves GET /orgs/{org}/repos the way the GitHub REST API
// does: pages of perPage repositories, a Link header with rel="next" while
// more remain. It counts the requests.
type githubStandIn struct {
	srv      *httptest.Server
	repos    []apiRepo
	perPage  int
	mu       sync.Mutex
	requests int
	auth     []string
}

func newGitHubStandIn(t *testing.T, org string, repos []apiRepo) *githubStandIn {
	t.Helper()
	g := &githubStandIn{repos: repos, perPage: 2}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		g.requests++
		g.auth = append(g.auth, r.Header.Get("Authorization"))
		g.mu.Unlock()
		if r.URL.Path != "/orgs/"+org+"/repos" {
			http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
			return
		}
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		page = max(page, 1)
		lo, hi := min((page-1)*g.perPage, len(g.repos)), min(page*g.perPage, len(g.repos))
		if hi < len(g.repos) {
			w.Header().Set("Link", fmt.Sprintf(`<%s/orgs/%s/repos?page=%d&per_page=%d>; rel="next"`, g.srv.URL, org, page+1, g.perPage))
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(g.repos[lo:hi])
	}))
	t.Cleanup(g.srv.Close)
	t.Setenv("GITHUB_API_URL", g.srv.URL+"/")
	t.Setenv("GITHUB_TOKEN", "")
	return g
}

// sweepOrg builds the organisation acme: alpha and gamma hold credentials,
// beta is clean, broken's clone URL is no repository, and an archived
// repository and a fork (both holding a credential) are to be left out.
func sweepOrg(t *testing.T) (map[string]*testRepo, []apiRepo, *rules.Fixture) {
	fx := newFixture(t)
	repos := map[string]*testRepo{}
	for _, name := range []string{"alpha", "beta", "gamma", "old", "forked"} {
		r := newTestRepo(t)
		r.write("README.md", "# "+name+"\n")
		r.commit("start", "2024-01-01T10:00:00Z", "Ada Dev <ada@example.com>")
		repos[name] = r
	}
	repos["alpha"].write(".env", render(t, fx, crispEnv))
	repos["alpha"].commit("env", "2024-01-02T10:00:00Z", "Bo Ops <bo@example.com>")
	repos["alpha"].write(".env", "CRISP_IDENTIFIER=\n")
	repos["alpha"].commit("remove env", "2024-01-03T10:00:00Z", "Bo Ops <bo@example.com>")
	repos["gamma"].git("checkout", "-q", "-b", "legacy")
	repos["gamma"].write("legacy/crisp.env", render(t, fx, crispEnv2))
	repos["gamma"].commit("legacy env", "2024-01-02T10:00:00Z", "Cy Sec <cy@example.com>")
	repos["old"].write(".env", render(t, fx, crispEnv))
	repos["old"].commit("env", "2024-01-02T10:00:00Z", "Bo Ops <bo@example.com>")
	repos["forked"].write(".env", render(t, fx, crispEnv2))
	repos["forked"].commit("env", "2024-01-02T10:00:00Z", "Bo Ops <bo@example.com>")
	notRepo := t.TempDir()
	writeFile(t, filepath.Join(notRepo, "HEAD"), "garbage\n")
	api := []apiRepo{
		{FullName: "acme/alpha", CloneURL: repos["alpha"].dir},
		{FullName: "acme/beta", CloneURL: repos["beta"].dir},
		{FullName: "acme/broken", CloneURL: notRepo},
		{FullName: "acme/forked", CloneURL: repos["forked"].dir, Fork: true},
		{FullName: "acme/gamma", CloneURL: repos["gamma"].dir},
		{FullName: "acme/old", CloneURL: repos["old"].dir, Archived: true},
	}
	for i := range api {
		api[i].Name = strings.TrimPrefix(api[i].FullName, "acme/")
	}
	return repos, api, fx
}

// sweepRun runs a JSON sweep and returns the report and the result.
func sweepRun(t *testing.T, args ...string) (*report.Report, result) {
	t.Helper()
	out := runCLI(t, "", append([]string{"github", "--org", "acme", "--report-format", "json", "--log-format", "json"}, args...)...)
	if out.code == exitError {
		t.Fatalf("exit %d\n%s", out.code, out.stderr)
	}
	return readReport(t, out.stdout), out
}

// byRepo counts the report's findings per repository.
func byRepo(rep *report.Report) map[string]int {
	out := map[string]int{}
	for _, f := range rep.Findings {
		out[f.Repository]++
	}
	return out
}

func TestGitHubSweepScansEveryGoodRepositoryAndSkipsTheBrokenOne(t *testing.T) {
	repos, api, fx := sweepOrg(t)
	g := newGitHubStandIn(t, "acme", api)
	cache, state := t.TempDir(), filepath.Join(t.TempDir(), "state.json")
	rep, out := sweepRun(t, "--cache-dir", cache, "--state", state)
	if out.code != exitRepoFailed {
		t.Fatalf("exit %d, want %d (a repository failed)\n%s", out.code, exitRepoFailed, out.stderr)
	}
	if g.requests < 3 {
		t.Fatalf("%d API requests: the listing did not follow the pages", g.requests)
	}
	got := byRepo(rep)
	if len(got) != 2 || got["acme/alpha"] != 1 || got["acme/gamma"] != 1 {
		t.Fatalf("findings by repository %v, want alpha and gamma once each", got)
	}
	for _, name := range []string{"acme/alpha", "acme/beta", "acme/gamma"} {
		if !strings.Contains(out.stderr, `"repository":"`+name+`","status":"scanned"`) {
			t.Errorf("%s not reported scanned:\n%s", name, out.stderr)
		}
	}
	if !strings.Contains(out.stderr, `"repository":"acme/broken","status":"failed"`) {
		t.Errorf("broken repository not reported:\n%s", out.stderr)
	}
	// archived and forked repositories are not fetched, but the report
	// accounts for them (proof of coverage)
	status := map[string]string{}
	for _, r := range rep.Repositories {
		status[r.Name] = r.Status + "/" + r.Reason
	}
	for name, want := range map[string]string{"acme/old": "skipped/archived", "acme/forked": "skipped/fork",
		"acme/alpha": "scanned/", "acme/broken": "failed/"} {
		if status[name] != want {
			t.Errorf("coverage of %s = %q, want %q (all: %v)", name, status[name], want, status)
		}
	}
	if _, err := os.Stat(filepath.Join(cache, "acme", "old.git")); err == nil {
		t.Error("the archived repository was fetched")
	}
	for _, f := range rep.Findings {
		if f.Commit == "" || f.Path == "" {
			t.Errorf("finding without a place: %+v", f.Location)
		}
	}
	mirror := &testRepo{t: t, dir: filepath.Join(cache, "acme", "gamma.git")}
	if got, want := mirror.git("rev-parse", "refs/heads/legacy"), repos["gamma"].git("rev-parse", "legacy"); got != want {
		t.Errorf("the mirror's legacy branch is %q, want %q", got, want)
	}
	noRawValues(t, fx, "report", out.stdout)
	noRawValues(t, fx, "log", out.stderr)
	first := rep.Stats.Commits

	// second sweep: nothing new anywhere but one commit in beta
	fx2 := newFixture(t)
	repos["beta"].write("config/crisp.env", render(t, fx2, crispEnv))
	repos["beta"].commit("config", "2024-02-01T10:00:00Z", "Eve Dev <eve@example.com>")
	rep2, out2 := sweepRun(t, "--cache-dir", cache, "--state", state)
	if out2.code != exitRepoFailed {
		t.Fatalf("second sweep exit %d\n%s", out2.code, out2.stderr)
	}
	if got := byRepo(rep2); len(got) != 1 || got["acme/beta"] != 1 {
		t.Fatalf("second sweep findings %v, want beta's new one only", got)
	}
	if rep2.Stats.Commits != 1 || first < 5 {
		t.Fatalf("second sweep walked %d commits (first %d), want the 1 new one", rep2.Stats.Commits, first)
	}
	if !strings.Contains(out2.stderr, `"repository":"acme/alpha","status":"unchanged"`) {
		t.Errorf("alpha not unchanged:\n%s", out2.stderr)
	}

	// --full scans everything again
	rep3, _ := sweepRun(t, "--cache-dir", cache, "--state", state, "--full")
	if got := byRepo(rep3); len(got) != 3 || rep3.Stats.Commits <= first {
		t.Fatalf("--full findings %v, commits %d", got, rep3.Stats.Commits)
	}
}

func TestGitHubSweepShardsCoverEveryRepositoryOnce(t *testing.T) {
	_, api, _ := sweepOrg(t)
	api = api[:3] // alpha, beta, broken: shards still split whatever they hold
	for i := 0; i < 6; i++ {
		r := newTestRepo(t)
		r.write("a.txt", "hello\n")
		r.commit("start", "2024-01-01T10:00:00Z", "Ada Dev <ada@example.com>")
		api = append(api, apiRepo{FullName: fmt.Sprintf("acme/svc-%d", i), Name: fmt.Sprintf("svc-%d", i), CloneURL: r.dir})
	}
	api[3].Size = 5000 // KB, past --max-repo-size
	newGitHubStandIn(t, "acme", api)
	cache := t.TempDir()
	seen := map[string]int{}
	var reports []string
	var stderr string
	for k := 1; k <= 3; k++ {
		rep, out := sweepRun(t, "--cache-dir", cache, "--shard", fmt.Sprintf("%d/3", k), "--max-repo-size", "1000", "--progress", "always")
		stderr += out.stderr
		if !strings.Contains(out.stderr, "\r\033[Ksweep: ") || !strings.Contains(out.stderr, " repositories, ") {
			t.Errorf("no progress line:\n%q", out.stderr)
		}
		for _, line := range strings.Split(out.stderr, "\n") {
			var ev struct{ Repository, Status string }
			if json.Unmarshal([]byte(line), &ev) == nil && ev.Status != "" {
				seen[ev.Repository]++
			}
		}
		p := filepath.Join(t.TempDir(), "shard.json")
		writeFile(t, p, out.stdout)
		reports = append(reports, p)
		if rep.Target.Range != fmt.Sprintf("shard %d/3", k) {
			t.Errorf("target %+v", rep.Target)
		}
	}
	var names []string
	for _, r := range api {
		names = append(names, r.FullName)
		if seen[r.FullName] != 1 {
			t.Errorf("%s swept %d times over the shards, want once", r.FullName, seen[r.FullName])
		}
	}
	if !strings.Contains(stderr, `"repository":"acme/svc-0","status":"skipped"`) || !strings.Contains(stderr, `"reason":"too-large"`) {
		t.Errorf("the repository past the size limit is not reported:\n%s", stderr)
	}
	if len(seen) != len(api) {
		t.Errorf("swept %v, want exactly %v", seen, names)
	}
	out := runCLIReport(t, append([]string{"merge"}, reports...)...)
	merged := readReport(t, out.stdout)
	if got := byRepo(merged); len(got) != 1 || got["acme/alpha"] != 1 || out.code != exitFindings {
		t.Fatalf("merged findings %v (exit %d)", got, out.code)
	}
}

// runCLIReport calls runReport as "scanner report ARGS" would.
func runCLIReport(t *testing.T, args ...string) result {
	t.Helper()
	var o, e strings.Builder
	code, err := runReport(t.Context(), args, env{stdin: strings.NewReader(""), stdout: &o, stderr: &e})
	if err != nil {
		t.Fatalf("report %v: %v", args, err)
	}
	return result{code: code, stdout: o.String(), stderr: e.String()}
}

func TestGitHubSweepBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"github"},
		{"github", "--org", "acme", "--shard", "4/3"},
		{"github", "--repo", "no-slash"},
		{"github", "--org", "acme", "--include", "[bad"},
		{"github", "--org", "acme", "extra"},
	} {
		out := runCLI(t, "", args...)
		if out.code != exitError || !strings.HasPrefix(out.stderr, "scanner: ") {
			t.Errorf("%v: exit %d, stderr %q", args, out.code, out.stderr)
		}
	}
}
