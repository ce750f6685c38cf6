package sweep

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/progress"
	"github.com/scanner-dev/scanner/rules"
)

func TestConfigCheck(t *testing.T) {
	ok := Config{Selection: Selection{Orgs: []string{"acme"}}, Shard: "2/3", Progress: "auto"}
	if err := ok.Check(); err != nil || ok.Selection.Shard != (Shard{2, 3}) {
		t.Fatalf("Check: %v, shard %v", err, ok.Selection.Shard)
	}
	for name, c := range map[string]Config{
		"--shard":         {Selection: ok.Selection, Shard: "4/3", Progress: "auto"},
		"nothing":         {Progress: "auto"},
		"--max-repo-size": {Selection: ok.Selection, MaxKB: -1, Progress: "auto"},
		"--progress":      {Selection: ok.Selection, Progress: "sometimes"},
	} {
		if err := c.Check(); err == nil {
			t.Errorf("%s: no error", name)
		} else if name != "nothing" && !strings.Contains(err.Error(), name) {
			t.Errorf("%s: the error does not name the flag: %v", name, err)
		}
	}
}

// TestRunMergesEveryRepository sweeps the stand-in organisation with a scan
// that finds one credential per repository: one result, each finding
// naming its repository, coverage for all, failures counted, the state
// saved only by Save.
func TestRunMergesEveryRepository(t *testing.T) {
	l, _ := standInOrg(t)
	statePath := filepath.Join(t.TempDir(), "state.json")
	var log bytes.Buffer
	cfg := Config{
		Selection: Selection{Orgs: []string{"acme"}, Exclude: []string{"acme/ign*"}},
		CacheDir:  t.TempDir(), StatePath: statePath, MaxKB: 1000, Rules: rules.MustDefault(),
		Version: "1.2.3", APIURL: l.Client.BaseURL.String(), Progress: "never", Log: zerolog.New(&log),
	}
	scan := func(_ context.Context, j Job, _ zerolog.Logger) (*pipeline.Result, error) {
		return &pipeline.Result{Findings: []finding.Finding{{RuleID: "crisp", Fingerprint: "a"}},
			Suppressed: []finding.Finding{{RuleID: "crisp", Fingerprint: "b", Suppressed: finding.SuppressedInline}},
			Stats:      finding.Stats{Commits: 2}}, nil
	}
	swept, err := Run(context.Background(), cfg, scan)
	if err != nil {
		t.Fatal(err)
	}
	res := swept.Result
	got := map[string]bool{}
	for _, f := range append(res.Findings, res.Suppressed...) {
		got[f.Repository] = true
	}
	if len(res.Findings) != 2 || len(res.Suppressed) != 2 || !got["acme/alpha"] || !got["acme/beta"] || got[""] {
		t.Fatalf("merged findings by repository %v (%d reported, %d suppressed)", got, len(res.Findings), len(res.Suppressed))
	}
	if len(swept.Coverage) != 7 || swept.Failed != 2 || res.Stats.Warnings != 2 || res.Stats.Commits != 4 || res.Stats.Incomplete {
		t.Fatalf("%d covered, %d failed, stats %+v", len(swept.Coverage), swept.Failed, res.Stats)
	}
	if n := strings.Count(log.String(), "repository swept"); n != 7 {
		t.Errorf("%d repositories logged, want 7:\n%s", n, log.String())
	}
	if _, err := os.Stat(statePath); err == nil {
		t.Fatal("the state was saved before Save")
	}
	if err := swept.Save(); err != nil {
		t.Fatal(err)
	}
	state, err := LoadState(statePath)
	if err != nil || len(state.Repos) != 2 {
		t.Fatalf("state after Save: %v, %v", state, err)
	}
}

// A repository stopped by an interrupt makes the merged result incomplete;
// a scan error names the repository.
func TestMergeMarksAnInterruptedSweep(t *testing.T) {
	o := &org{cfg: Config{Log: zerolog.Nop()}, bar: &progress.SweepBar{}}
	s := o.merge([]Outcome{{Repo: Repo{FullName: "acme/a"}, Status: StatusFailed, Err: context.Canceled}})
	if !s.Result.Stats.Incomplete || s.Failed != 1 {
		t.Fatalf("stats %+v, failed %d", s.Result.Stats, s.Failed)
	}
	o.scan = func(context.Context, Job, zerolog.Logger) (*pipeline.Result, error) {
		return nil, errors.New("corrupt")
	}
	if _, err := o.scanMirror(context.Background(), Job{Repo: Repo{FullName: "acme/b"}}); err == nil || err.Error() != "scan acme/b: corrupt" {
		t.Fatalf("err = %v", err)
	}
}
