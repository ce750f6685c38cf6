package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// gitRepo is a real repository in a temporary directory.
type gitRepo struct {
	t   *testing.T
	dir string
	n   int
}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	r := &gitRepo{t: t, dir: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	return r
}

func (r *gitRepo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.dir, "-c", "user.name=Ada", "-c", "user.email=ada@example.com",
		"-c", "commit.gpgsign=false"}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "LC_ALL=C")
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// commit adds one commit changing a file.
func (r *gitRepo) commit() {
	r.t.Helper()
	r.n++
	if err := os.WriteFile(filepath.Join(r.dir, "f.txt"), []byte(strconv.Itoa(r.n)+"\n"), 0o644); err != nil {
		r.t.Fatal(err)
	}
	r.git("add", "f.txt")
	r.git("commit", "-q", "-m", "c"+strconv.Itoa(r.n))
}

// standInOrg serves GET /orgs/acme/repos as the GitHub REST API does (one
// page) for repositories held in temporary directories: alpha (two
// branches, three commits), beta (one commit), broken (no repository),
// forked, old (archived), ignored (to exclude by glob) and big (past the
// size limit).
func standInOrg(t *testing.T) (*Lister, map[string]*gitRepo) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	repos := map[string]*gitRepo{}
	for _, name := range []string{"alpha", "beta", "forked", "old", "ignored", "big"} {
		repos[name] = newGitRepo(t)
		repos[name].commit()
	}
	repos["alpha"].commit()
	repos["alpha"].git("checkout", "-q", "-b", "dev")
	repos["alpha"].commit()
	api := []map[string]any{{"full_name": "acme/broken", "clone_url": t.TempDir()}}
	for name, r := range repos {
		api = append(api, map[string]any{"full_name": "acme/" + name, "clone_url": r.dir,
			"fork": name == "forked", "archived": name == "old", "size": map[bool]int{true: 5000}[name == "big"]})
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/orgs/acme/repos") { // api.github.com or GHES /api/v3
			http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(api)
	}))
	t.Cleanup(srv.Close)
	client, err := NewClient(srv.URL, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	return &Lister{Client: client}, repos
}

// countCommits is a scan callback that walks the commits a real scan would:
// all of the mirror's history, less what Since reaches.
func countCommits(ctx context.Context, job Job) (Scanned, error) {
	args := []string{"-C", job.Mirror, "rev-list", "--count", "--all"}
	if len(job.Since) > 0 {
		args = append(append(args, "--not"), job.Since...)
	}
	out, err := exec.CommandContext(ctx, "git", args...).Output()
	if err != nil {
		return Scanned{}, fmt.Errorf("rev-list: %w", err)
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
	return Scanned{Commits: n, Result: job.Repo.FullName}, err
}

type sweepRun struct {
	cov  map[string]Coverage
	log  string
	done int
}

// sweepOnce lists, sweeps with rulesHash and saves the state, as a
// scheduled sweep does.
func sweepOnce(t *testing.T, l *Lister, cache, statePath, rulesHash string) sweepRun {
	t.Helper()
	ctx := context.Background()
	repos, err := l.Survey(ctx, Selection{Orgs: []string{"acme"}, Exclude: []string{"acme/ign*"}})
	if err != nil {
		t.Fatal(err)
	}
	state, err := LoadState(statePath)
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer // no lock: Done calls must never overlap
	run := sweepRun{cov: map[string]Coverage{}}
	s := &Sweeper{Cache: &Cache{Dir: cache}, State: state, MaxKB: 1000, Workers: 4, RulesHash: rulesHash,
		Version: "1.2.3", Scan: countCommits, Done: func(o Outcome, n, total int) {
			fmt.Fprintf(&log, "%d/%d %s %s\n", n, total, o.Repo.FullName, o.Status)
			run.done++
		}}
	outs := s.Run(ctx, repos)
	s.Record(outs)
	if err := state.Save(statePath); err != nil {
		t.Fatal(err)
	}
	for _, o := range outs {
		if o.Status == StatusScanned && o.Result != o.Repo.FullName {
			t.Errorf("%s: result %v, want the callback's", o.Repo.FullName, o.Result)
		}
		run.cov[o.Repo.FullName] = o.Coverage()
	}
	run.log = log.String()
	if run.done != len(repos) || len(outs) != len(repos) {
		t.Fatalf("%d outcomes, %d Done calls for %d repositories", len(outs), run.done, len(repos))
	}
	return run
}

// want is the expected coverage of one repository.
type want struct {
	status, reason, mode string
	commits              int64
	refs                 int
}

func checkCoverage(t *testing.T, got map[string]Coverage, wants map[string]want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Errorf("coverage of %d repositories, want %d: %v", len(got), len(wants), got)
	}
	for name, w := range wants {
		c := got["acme/"+name]
		if c.Status != w.status || c.Reason != w.reason || c.Mode != w.mode || c.Commits != w.commits || c.Refs != w.refs {
			t.Errorf("%s: %s/%s/%s %d commits %d refs, want %+v", name, c.Status, c.Reason, c.Mode, c.Commits, c.Refs, w)
		}
		if (c.Status == StatusFailed) != (c.Error != "") {
			t.Errorf("%s: status %s with error %q", name, c.Status, c.Error)
		}
	}
}

func TestSweepAccountsForEveryRepositoryAndRescansWhenTheRulesChange(t *testing.T) {
	l, repos := standInOrg(t)
	cache, state := t.TempDir(), filepath.Join(t.TempDir(), "state.json")
	skipped := map[string]want{"forked": {status: StatusSkipped, reason: SkipFork},
		"old": {status: StatusSkipped, reason: SkipArchived}, "ignored": {status: StatusSkipped, reason: SkipExcluded},
		"big": {status: StatusSkipped, reason: SkipTooLarge}, "broken": {status: StatusFailed}}
	with := func(m map[string]want) map[string]want {
		for k, v := range skipped {
			m[k] = v
		}
		return m
	}

	first := sweepOnce(t, l, cache, state, "sha256:rules-1")
	checkCoverage(t, first.cov, with(map[string]want{
		"alpha": {StatusScanned, "", ModeFull, 3, 2}, "beta": {StatusScanned, "", ModeFull, 1, 1}}))
	alpha := first.cov["acme/alpha"]
	if alpha.Tips["refs/heads/dev"] != repos["alpha"].git("rev-parse", "dev") || alpha.Tips["refs/heads/main"] != repos["alpha"].git("rev-parse", "main") {
		t.Errorf("alpha tips %v, want main and dev as the repository has them", alpha.Tips)
	}
	if alpha.RulesHash != "sha256:rules-1" || alpha.ScannerVersion != "1.2.3" || alpha.ScannedAt.IsZero() {
		t.Errorf("alpha coverage %+v: want the rules hash, version and time of the scan", alpha)
	}

	repos["beta"].commit()
	second := sweepOnce(t, l, cache, state, "sha256:rules-1")
	checkCoverage(t, second.cov, with(map[string]want{
		"alpha": {StatusUnchanged, "", ModeIncremental, 0, 2}, "beta": {StatusScanned, "", ModeIncremental, 1, 1}}))
	if got := second.cov["acme/alpha"]; !got.ScannedAt.Equal(alpha.ScannedAt) || got.RulesHash != alpha.RulesHash {
		t.Errorf("unchanged alpha covered %+v, want the first sweep's scan %+v", got, alpha)
	}

	third := sweepOnce(t, l, cache, state, "sha256:rules-2")
	checkCoverage(t, third.cov, with(map[string]want{
		"alpha": {StatusScanned, "", ModeFull, 3, 2}, "beta": {StatusScanned, "", ModeFull, 2, 1}}))
	if got := third.cov["acme/beta"].RulesHash; got != "sha256:rules-2" {
		t.Errorf("beta rescanned with rules %q", got)
	}
}

func TestStateSinceWantsTheSameRules(t *testing.T) {
	s := &State{}
	tip := strings.Repeat("a", 40)
	s.Put("Acme/A", RepoState{Tips: map[string]string{"refs/heads/main": tip}, RulesHash: "h1", ScannedAt: time.Now()})
	s.Record("acme/old", map[string]string{"refs/heads/main": tip}, time.Now())
	for _, c := range []struct {
		repo, hash string
		want       int
	}{{"acme/a", "h1", 1}, {"acme/a", "h2", 0}, {"acme/a", "", 0}, {"acme/old", "h1", 0}, {"acme/old", "", 1}, {"acme/none", "h1", 0}} {
		if got := s.Since(c.repo, c.hash); len(got) != c.want {
			t.Errorf("Since(%s, %q) = %v, want %d tips", c.repo, c.hash, got, c.want)
		}
	}
}

func TestListKeepsTheSelectionAndSurveyTheRest(t *testing.T) {
	l, _ := standInOrg(t)
	sel := Selection{Orgs: []string{"acme"}, Exclude: []string{"acme/ignored"}}
	list, err := l.List(context.Background(), sel)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range list {
		names = append(names, r.FullName)
	}
	if got := strings.Join(names, ","); got != "acme/alpha,acme/beta,acme/big,acme/broken" {
		t.Errorf("List = %s", got)
	}
	sel.Shard = Shard{K: 1, N: 2}
	all, err := l.Survey(context.Background(), sel)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range all {
		if !sel.Shard.Has(r.FullName) {
			t.Errorf("Survey of shard 1/2 returned %s of the other shard", r.FullName)
		}
	}
}

func TestAnInterruptedSweepAccountsForTheRest(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var repos []Repo
	for i := 0; i < 20; i++ {
		repos = append(repos, Repo{FullName: fmt.Sprintf("acme/r%02d", i), Skip: SkipFork})
	}
	calls := 0
	s := &Sweeper{Workers: 1, Done: func(o Outcome, n, total int) {
		if calls++; calls == 3 {
			cancel()
		}
	}}
	outs := s.Run(ctx, repos)
	failed := 0
	for _, o := range outs {
		if o.Status == StatusFailed && o.Err == context.Canceled {
			failed++
		}
	}
	if len(outs) != len(repos) || calls != len(repos) || failed == 0 {
		t.Errorf("%d outcomes, %d Done calls, %d failed as interrupted", len(outs), calls, failed)
	}
}
