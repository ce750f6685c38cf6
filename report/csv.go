package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/scanner-dev/scanner/finding"
)

// csvHeader is gitleaks' CSV header, so that sheets and scripts written for
// it read ours, followed by our own columns. Secret and Match hold the
// redacted value unless Options.ShowSecrets is set; Fingerprint is gitleaks'
// location fingerprint (commit:path:rule:line, or path:rule:line outside
// git), which .gitleaksignore takes, and SecretFingerprint ours.
var csvHeader = []string{"RuleID", "Commit", "File", "SymlinkFile", "Secret", "Match", "StartLine", "EndLine",
	"StartColumn", "EndColumn", "Author", "Message", "Date", "Email", "Fingerprint", "Tags",
	"Repository", "Provider", "Severity", "Validation", "SecretFingerprint"}

// WriteCSV writes one row per finding under csvHeader. Text from the
// scanned content is quoted when it holds control characters, and a cell
// a spreadsheet would take for a formula starts with a quote.
func WriteCSV(w io.Writer, r *Report, opts Options) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, f := range r.Findings {
		if err := cw.Write(csvRow(f, opts.ShowSecrets)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvRow(f finding.Finding, raw bool) []string {
	secret := f.Redacted()
	if raw && len(f.Parts) > 0 {
		secret = rawSecret(f)
	}
	var date, status string
	if !f.Date.IsZero() {
		date = f.Date.UTC().Format(time.RFC3339)
	}
	if f.Validation != nil {
		status = string(f.Validation.Status)
	}
	itoa := strconv.Itoa
	row := []string{f.RuleID, f.Commit, f.Path, "", secret, secret, itoa(f.Line), itoa(f.EndLine),
		itoa(f.Column), itoa(f.EndColumn), f.AuthorName, "", date, f.AuthorEmail, locationFingerprint(f),
		f.Provider, f.Repository, f.Provider, string(f.Severity), status, f.Fingerprint}
	for i, cell := range row {
		row[i] = cellSafe(printable(cell))
	}
	return row
}

// locationFingerprint is gitleaks' fingerprint of a finding.
func locationFingerprint(f finding.Finding) string {
	fp := f.Path + ":" + f.RuleID + ":" + strconv.Itoa(f.Line)
	if f.Commit != "" {
		fp = f.Commit + ":" + fp
	}
	return fp
}

// cellSafe keeps a spreadsheet from running a cell as a formula.
func cellSafe(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}
