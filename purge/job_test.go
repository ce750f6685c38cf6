package purge

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/report"
)

// TestJobPlansAndVerifies opens a report as the commands do, plans (writing
// the expressions file where asked) and verifies before any rewrite.
func TestJobPlansAndVerifies(t *testing.T) {
	_, work, p := leakyRepo(t)
	rep := scanReport(t, work, detector(t))
	reportPath := filepath.Join(t.TempDir(), "r.json")
	f, err := os.Create(reportPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := report.WriteJSON(f, rep, report.Options{}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	ctx := context.Background()
	job, err := Open(ctx, reportPath, work.dir, "", zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	expr := filepath.Join(t.TempDir(), "expr.txt")
	var out bytes.Buffer
	if err := job.Plan(ctx, &out, PrintOptions{Expressions: expr}); err != nil {
		t.Fatal(err)
	}
	if body, err := os.ReadFile(expr); err != nil || !strings.Contains(string(body), p.key) {
		t.Fatalf("expressions file not written where asked: %v", err)
	}
	if s := out.String(); strings.Contains(s, p.key) || !strings.Contains(s, reportPath) {
		t.Errorf("the plan holds the key, or does not name the report:\n%s", s)
	}
	out.Reset()
	if n, err := job.Verify(ctx, &out); err != nil || n != 1 {
		t.Fatalf("before any rewrite: %d fingerprints reachable, %v", n, err)
	}
	if strings.Contains(out.String(), p.key) {
		t.Error("the verdict holds the key")
	}
}

func TestOpenRefusesAMissingReport(t *testing.T) {
	_, err := Open(context.Background(), filepath.Join(t.TempDir(), "none.json"), ".", "", zerolog.Nop())
	if err == nil || !strings.HasPrefix(err.Error(), "report: ") {
		t.Fatalf("err = %v", err)
	}
}
