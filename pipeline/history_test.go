package pipeline_test

import (
	"context"
	"testing"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/detect"
	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/rules"
	"github.com/scanner-dev/scanner/source"
)

// RunHistory scans every commit, or since a set of tips only what they do
// not reach.
func TestRunHistoryFullAndSince(t *testing.T) {
	fx := fixture(t)
	r := newRepo(t)
	old := r.commit(map[string]string{"app/.env": crispEnv(fx)})
	fx2 := fixture(t)
	r.commit(map[string]string{"deploy/.env": crispEnv(fx2)})
	in := pipeline.Input{Detector: detect.New(rules.MustDefault()), Log: zerolog.Nop()}
	opts := source.Options{Log: zerolog.Nop()}
	ctx := context.Background()
	full, err := pipeline.RunHistory(ctx, r.dir, nil, opts, in)
	if err != nil || len(full.Findings) != 2 || full.Stats.Commits != 2 {
		t.Fatalf("full: %v, %d findings, %d commits", err, len(full.Findings), full.Stats.Commits)
	}
	since, err := pipeline.RunHistory(ctx, r.dir, []string{old}, opts, in)
	if err != nil || len(since.Findings) != 1 || since.Findings[0].Path != "deploy/.env" || since.Stats.Commits != 1 {
		t.Fatalf("since %s: %v, findings %+v, %d commits", old, err, since.Findings, since.Stats.Commits)
	}
	if _, err := pipeline.RunHistory(ctx, t.TempDir(), nil, opts, in); err == nil {
		t.Fatal("a directory without a repository was scanned")
	}
}
