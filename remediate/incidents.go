package remediate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/scanner-dev/scanner/finding"
)

// LedgerPath is the ledger a run uses: path when given, else DefaultLedger
// (never inside the scanned repository).
func LedgerPath(path string) (string, error) {
	if path != "" {
		return path, nil
	}
	return DefaultLedger()
}

// ListIncidents reads the incidents of the ledger at path whose status is
// status ("all" for every one). A ledger not created yet holds none: the
// records are nil then, and a non-nil slice otherwise.
func ListIncidents(ctx context.Context, path, status string) ([]Record, error) {
	if _, err := os.Stat(path); errors.Is(err, iofs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("ledger %s: %w", path, err)
	}
	led, err := OpenLedger(filepath.Clean(path))
	if err != nil {
		return nil, err
	}
	defer led.Close()
	all, err := led.List(ctx)
	if err != nil {
		return nil, err
	}
	recs := []Record{}
	for _, r := range all {
		if status == "all" || r.Status == status {
			recs = append(recs, r)
		}
	}
	return recs, nil
}

// ShowIncidents writes on w the incidents of the ledger (path, else
// DefaultLedger) whose status is status ("all" for every one), in format:
// text or json. A ledger not created yet holds no incidents, said as text.
func ShowIncidents(ctx context.Context, w io.Writer, path, status, format string) error {
	if format != "text" && format != "json" {
		return fmt.Errorf("unknown --format %q (want text or json)", format)
	}
	path, err := LedgerPath(path)
	if err != nil {
		return err
	}
	recs, err := ListIncidents(ctx, path, status)
	if err != nil {
		return err
	}
	if format == "json" && recs != nil {
		return WriteIncidentsJSON(w, recs)
	}
	WriteIncidents(w, recs)
	return nil
}

// WriteIncidentsJSON writes records as {"incidents": [...]}.
func WriteIncidentsJSON(w io.Writer, recs []Record) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"incidents": recs})
}

// WriteIncidents lists records as text: status, provider, tier, redacted
// value, last answer and fingerprint, then dates, issue and locations.
func WriteIncidents(w io.Writer, recs []Record) {
	if len(recs) == 0 {
		fmt.Fprintln(w, "no incidents")
		return
	}
	when := func(t *time.Time) string {
		if t == nil {
			return "-"
		}
		return t.UTC().Format(time.RFC3339)
	}
	for _, r := range recs {
		tier := r.Tier
		if tier == "" {
			tier = "tier unknown"
		}
		fmt.Fprintf(w, "%s %s %s %s (last answer %s) %s\n", r.Status, r.Provider, tier, r.Redacted, r.Validation, r.Fingerprint)
		fmt.Fprintf(w, "  opened %s, rotation requested %s, revocation confirmed %s, escalated %s\n",
			r.OpenedAt.UTC().Format(time.RFC3339), when(r.RotationAt), when(r.RevokedAt), when(r.EscalatedAt))
		if r.IssueURL != "" {
			fmt.Fprintf(w, "  issue %s\n", r.IssueURL)
		}
		for _, l := range r.Locations {
			fmt.Fprintf(w, "  at %s:%d %s\n", l.Path, l.Line, l.Commit)
		}
	}
}

// CodeOwnersFiles are the places GitHub looks for CODEOWNERS, in its order:
// the files a caller reads the tree's CODEOWNERS from (LoadCodeOwners).
func CodeOwnersFiles() []string { return append([]string(nil), codeOwnersPaths...) }

// ErrNoRawCredential is PrepareRecheck's answer to a credential given
// without its raw value.
var ErrNoRawCredential = errors.New("--recheck needs the raw credentials (the ledger never stores them): give a JSON report made with --show-secrets, or id:key / token lines")

// PrepareRecheck readies credentials given back for a re-check: each must
// carry its raw parts; an earlier validation is dropped, and one the ledger
// saw live keeps that tier, since only that tier's refusal proves
// revocation (validate checks only it).
func (l *Ledger) PrepareRecheck(ctx context.Context, creds []finding.Finding) error {
	for i := range creds {
		if len(creds[i].Parts) == 0 {
			return ErrNoRawCredential
		}
		creds[i].Validation = nil
		if rec, err := l.Get(ctx, creds[i].Fingerprint); err == nil && rec != nil && rec.Tier != "" {
			creds[i].Validation = &finding.Validation{Status: finding.Live, Tier: rec.Tier}
		}
	}
	return nil
}
