package report

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Repository is what a sweep did with one repository: the proof of coverage
// auditors ask for ("which repositories, up to which commit, with which
// rules"); sweep.Coverage is this type.
type Repository struct {
	Name           string            // owner/name
	Status         string            // scanned, unchanged, skipped or failed
	Reason         string            // why it was skipped: archived, fork, excluded, too-large
	Error          string            // why it failed (URL credentials cut out)
	Mode           string            // full or incremental, for a scanned repository
	Refs           int               // refs whose tips the history is covered up to
	Commits        int64             // commits this run scanned
	Tips           map[string]string // ref -> object id: how far the history is covered
	ScannerVersion string            // the scanner version that covered the history up to Tips
	RulesHash      string            // the hash of the rules in force for that scan
	ScannedAt      time.Time         // when that scan ran; zero if never
}

type jsonRepository struct {
	Name           string            `json:"name"`
	Status         string            `json:"status"`
	Reason         string            `json:"reason,omitempty"`
	Error          string            `json:"error,omitempty"`
	Mode           string            `json:"mode,omitempty"`
	Refs           int               `json:"refs"`
	Commits        int64             `json:"commits"`
	Tips           map[string]string `json:"tips,omitempty"`
	ScannerVersion string            `json:"scanner_version,omitempty"`
	RulesHash      string            `json:"rules_hash,omitempty"`
	ScannedAt      *time.Time        `json:"scanned_at,omitempty"`
}

func toJSONRepository(r Repository) jsonRepository {
	j := jsonRepository{Name: r.Name, Status: r.Status, Reason: r.Reason, Error: r.Error, Mode: r.Mode,
		Refs: r.Refs, Commits: r.Commits, Tips: r.Tips, ScannerVersion: r.ScannerVersion, RulesHash: r.RulesHash}
	if !r.ScannedAt.IsZero() {
		at := r.ScannedAt.UTC()
		j.ScannedAt = &at
	}
	return j
}

func fromJSONRepository(j jsonRepository) Repository {
	r := Repository{Name: j.Name, Status: j.Status, Reason: j.Reason, Error: j.Error, Mode: j.Mode,
		Refs: j.Refs, Commits: j.Commits, Tips: j.Tips, ScannerVersion: j.ScannerVersion, RulesHash: j.RulesHash}
	if j.ScannedAt != nil {
		r.ScannedAt = *j.ScannedAt
	}
	return r
}

// coverageSummary is the text report's account of a sweep: counts by
// status (skips by reason), then one line per failed repository.
func (p *textPrinter) coverageSummary(repos []Repository) {
	if repos == nil {
		return
	}
	count := map[string]int{}
	reasons := map[string]int{}
	for _, r := range repos {
		count[r.Status]++
		if r.Status == "skipped" {
			reasons[orDash(r.Reason)]++
		}
	}
	var parts []string
	for _, st := range []string{"scanned", "unchanged", "skipped", "failed"} {
		if count[st] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s%s", count[st], st, reasonList(st, reasons)))
		}
	}
	p.printf("%d repositories: %s\n", len(repos), orDash(strings.Join(parts, ", ")))
	for _, r := range repos {
		if r.Status == "failed" {
			p.printf("    failed  %s: %s\n", printable(r.Name), printable(r.Error))
		}
	}
}

func reasonList(status string, reasons map[string]int) string {
	if status != "skipped" || len(reasons) == 0 {
		return ""
	}
	keys := make([]string, 0, len(reasons))
	for k := range reasons {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		keys[i] = fmt.Sprintf("%d %s", reasons[k], printable(k))
	}
	return " (" + strings.Join(keys, ", ") + ")"
}
