package remediate

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scanner-dev/scanner/finding"
)

func TestListIncidentsWithoutLedger(t *testing.T) {
	recs, err := ListIncidents(context.Background(), filepath.Join(t.TempDir(), "none.db"), "all")
	if err != nil || recs != nil {
		t.Fatalf("no ledger: %v, %v; want nil, nil", recs, err)
	}
	path := filepath.Join(t.TempDir(), "incidents.db")
	led, err := OpenLedger(path)
	if err != nil {
		t.Fatal(err)
	}
	led.Close()
	recs, err = ListIncidents(context.Background(), path, "open")
	if err != nil || recs == nil || len(recs) != 0 {
		t.Fatalf("empty ledger: %v, %v; want an empty, non-nil list", recs, err)
	}
	var b bytes.Buffer
	for format, want := range map[string]string{"text": "no incidents\n", "json": "{\n  \"incidents\": []\n}\n"} {
		b.Reset()
		if err := ShowIncidents(context.Background(), &b, path, "all", format); err != nil || b.String() != want {
			t.Errorf("%s of an empty ledger: %q, %v; want %q", format, b.String(), err, want)
		}
	}
	b.Reset()
	if err := ShowIncidents(context.Background(), &b, filepath.Join(t.TempDir(), "none.db"), "all", "json"); err != nil || b.String() != "no incidents\n" {
		t.Errorf("json without a ledger: %q, %v", b.String(), err)
	}
	if err := ShowIncidents(context.Background(), &b, path, "all", "xml"); err == nil {
		t.Error("an unknown format was taken")
	}
}

func TestWriteIncidents(t *testing.T) {
	var b bytes.Buffer
	WriteIncidents(&b, nil)
	if b.String() != "no incidents\n" {
		t.Errorf("none: %q", b.String())
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	b.Reset()
	WriteIncidents(&b, []Record{{Status: "open", Provider: "crisp", Redacted: "abcd…", Validation: "live", Fingerprint: "fp1",
		OpenedAt: at, RevokedAt: &at, IssueURL: "https://example.test/i/1", Locations: []LedgerLoc{{Path: "a.env", Line: 2, Commit: "c1"}}}})
	want := "open crisp tier unknown abcd… (last answer live) fp1\n" +
		"  opened 2026-01-02T03:04:05Z, rotation requested -, revocation confirmed 2026-01-02T03:04:05Z, escalated -\n" +
		"  issue https://example.test/i/1\n  at a.env:2 c1\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	if err := WriteIncidentsJSON(&b, []Record{}); err != nil || !strings.Contains(b.String(), `"incidents": []`) {
		t.Errorf("json: %q, %v", b.String(), err)
	}
}

func TestPrepareRecheckNeedsRawValues(t *testing.T) {
	led, err := OpenLedger(filepath.Join(t.TempDir(), "incidents.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer led.Close()
	ctx := context.Background()
	if err := led.PrepareRecheck(ctx, []finding.Finding{{Fingerprint: "x"}}); !errors.Is(err, ErrNoRawCredential) {
		t.Errorf("no parts: err = %v", err)
	}
	fs := []finding.Finding{{Fingerprint: "y", Parts: []finding.Part{{Name: "key", Value: finding.NewSecret("v")}},
		Validation: &finding.Validation{Status: finding.Invalid}}}
	if err := led.PrepareRecheck(ctx, fs); err != nil || fs[0].Validation != nil {
		t.Errorf("not in the ledger: err = %v, validation = %+v; want it dropped", err, fs[0].Validation)
	}
	if got := CodeOwnersFiles(); len(got) != 3 || got[0] != ".github/CODEOWNERS" {
		t.Errorf("CodeOwnersFiles = %q", got)
	}
}
