package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/scanconfig"
)

// doneValidator is a validator that records what it spent when the run is
// done, failing to save.
type doneValidator struct {
	liveValidator
	done int
}

func (v *doneValidator) Done(st *finding.Stats, n int) error {
	v.done = n
	return errors.New("cache not writable")
}

// Scan prints what --verbose and --explain ask, redacted, and finishes the
// validator: a failure to finish is a warning.
func TestScanWatchesAndFinishes(t *testing.T) {
	fx := fixture(t)
	r := newRepo(t)
	r.commit(map[string]string{"a.env": crispEnv(fx), "b.env": "CRISP_IDENTIFIER=" + fx.ID + "\nCRISP_KEY=" + fx.Key + " # scanner:allow\n"})
	l, err := pipeline.Load(context.Background(), pipeline.Tree{Log: zerolog.Nop()}, scanconfig.Options{Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	v := &doneValidator{}
	var out bytes.Buffer
	in := l.Input(pipeline.Input{Source: history(t, r.dir), Validator: v, InlineAllowLive: true, Log: zerolog.Nop()})
	res, err := pipeline.Scan(context.Background(), in, pipeline.Watch{Out: &out, Verbose: true, Explain: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || v.done != 1 || res.Stats.Warnings != 1 {
		t.Errorf("%d findings, validator done with %d, %d warnings", len(res.Findings), v.done, res.Stats.Warnings)
	}
	for _, want := range []string{"found: crisp", "a.env:1", "suppressed (inline): ", "b.env:1"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), fx.Key) {
		t.Error("a raw key was printed")
	}
	rep := res.Report(report.Tool{Name: "scanner"}, report.Target{Kind: "git"})
	if rep.Stats.Findings != 1 || rep.Stats.Suppressed["inline"] != 1 {
		t.Errorf("report stats %+v", rep.Stats)
	}
}

// waiting is a source that reads until it is stopped.
type waiting struct{}

func (waiting) Chunks(ctx context.Context, _ func(finding.Chunk) error) error {
	<-ctx.Done()
	return ctx.Err()
}

func (waiting) Stats() finding.Stats { return finding.Stats{} }

// A timeout stops the read and gives what was found, marked incomplete.
func TestScanTimeout(t *testing.T) {
	l, err := pipeline.Load(context.Background(), pipeline.Tree{Log: zerolog.Nop()}, scanconfig.Options{Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	in := l.Input(pipeline.Input{Source: waiting{}, Log: zerolog.Nop()})
	w := pipeline.Watch{Out: &bytes.Buffer{}, Timeout: 50 * time.Millisecond}
	res, err := pipeline.Scan(context.Background(), in, w)
	if err != nil || !res.Stats.Incomplete {
		t.Fatalf("%+v, %v; want an incomplete result", res, err)
	}
	if why, interrupted := w.Incomplete(context.Background(), res); why != "timed out after 50ms" || interrupted {
		t.Errorf("Incomplete = %q, %v; want the timeout", why, interrupted)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if why, interrupted := w.Incomplete(cancelled, res); why != "interrupted" || !interrupted {
		t.Errorf("Incomplete = %q, %v; want interrupted", why, interrupted)
	}
	if why, _ := w.Incomplete(cancelled, &pipeline.Result{}); why != "" {
		t.Errorf("a complete result: Incomplete = %q", why)
	}
}

func TestDiskTreeOfAFileHasNoRoot(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a.env")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := pipeline.DiskTree(dir, zerolog.Nop()).Root; got != dir {
		t.Errorf("directory root %q", got)
	}
	if got := pipeline.DiskTree(file, zerolog.Nop()).Root; got != "" {
		t.Errorf("file root %q, want none", got)
	}
}

// A directory scan shows reported and suppressed findings under the path
// the user named.
func TestResultDisplayPaths(t *testing.T) {
	res := &pipeline.Result{
		Findings:   []finding.Finding{{Location: finding.Location{Path: "app.env"}}},
		Suppressed: []finding.Finding{{Location: finding.Location{Path: "old.env"}}},
	}
	res.DisplayPaths("deploy")
	if got := res.Findings[0].Path + " " + res.Suppressed[0].Path; got != "deploy/app.env deploy/old.env" {
		t.Errorf("paths %q", got)
	}
}

func TestReadCredentialsSkipsWhatItDoesNotKnow(t *testing.T) {
	fx := fixture(t)
	l, err := pipeline.Load(context.Background(), pipeline.Tree{Log: zerolog.Nop()}, scanconfig.Options{Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	fs, err := pipeline.ReadCredentials(strings.NewReader(fx.ID+":"+fx.Key+"\nnot a credential\n"), l.Detector, zerolog.New(&logs))
	if err != nil || len(fs) != 1 {
		t.Fatalf("%d credentials, %v", len(fs), err)
	}
	if !strings.Contains(logs.String(), `"line":2`) {
		t.Errorf("skipped line not logged: %s", logs.String())
	}
}
