package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/scanner-dev/scanner/report"
)

// Coverage is the proof of what a sweep did with one repository: status,
// how far its history is scanned (tips), by which scanner version and with
// which rules, as a sweep's report lists it.
type Coverage = report.Repository

// Coverage returns the outcome's proof of coverage. For an unchanged
// repository, the version, rules hash and time are those of the earlier
// sweep that scanned its history.
func (o Outcome) Coverage() Coverage {
	c := Coverage{Name: o.Repo.FullName, Status: o.Status, Reason: o.Reason, Mode: o.Mode, Commits: o.Commits}
	if o.Status == StatusFailed && o.Err != nil {
		c.Error = RedactURLs(oneLine(o.Err.Error()))
	}
	if o.Status == StatusScanned || o.Status == StatusUnchanged {
		c.Tips, c.Refs = o.Covered.Tips, len(o.Covered.Tips)
		c.ScannerVersion, c.RulesHash, c.ScannedAt = o.Covered.Version, o.Covered.RulesHash, o.Covered.ScannedAt
	}
	return c
}

func oneLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}

// RulesHash identifies a set of rules: "sha256:" and the hex SHA-256 of
// data, a canonical encoding of the rules in force (cmd/scanner passes the
// JSON encoding of the loaded rules.Set, whose field order is fixed). The
// state records it per repository, and a sweep with another hash scans the
// repository in full.
func RulesHash(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}
