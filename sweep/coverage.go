package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// Coverage is the proof of what a sweep did with one repository: status,
// how far its history is scanned (tips), by which scanner version and with
// which rules. It has the fields of report.Repository, so cmd/scanner
// converts it with report.Repository(o.Coverage()).
type Coverage struct {
	Name           string            // owner/name
	Status         string            // StatusScanned, StatusUnchanged, StatusSkipped or StatusFailed
	Reason         string            // why it was skipped (Skip* constants)
	Error          string            // why it failed, on one line, URL credentials cut out
	Mode           string            // ModeFull or ModeIncremental, when scanned
	Refs           int               // refs whose tips the history is covered up to
	Commits        int64             // commits this sweep scanned
	Tips           map[string]string // ref -> object id: how far the history is covered
	ScannerVersion string            // the scanner version that covered the history up to Tips
	RulesHash      string            // the hash of the rules in force for that scan
	ScannedAt      time.Time         // when that scan ran; zero if never
}

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
