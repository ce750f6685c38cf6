package report

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/scanner-dev/scanner/finding"
)

// jsonReport is the JSON document, schema version 1 (see README).
type jsonReport struct {
	Version  int           `json:"version"`
	Tool     jsonTool      `json:"tool"`
	Target   jsonTarget    `json:"target"`
	Findings []jsonFinding `json:"findings"`
	Stats    jsonStats     `json:"stats"`
	// Repositories is the coverage of a sweep; omitted for other runs.
	Repositories []jsonRepository `json:"repositories,omitempty"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonTarget struct {
	Kind  string `json:"kind"`
	Path  string `json:"path,omitempty"`
	Range string `json:"range,omitempty"`
}

type jsonFinding struct {
	RuleID      string            `json:"rule_id"`
	Provider    string            `json:"provider"`
	Severity    finding.Severity  `json:"severity"`
	Description string            `json:"description"`
	Fingerprint string            `json:"fingerprint"`
	Redacted    string            `json:"redacted"`
	Repository  string            `json:"repository,omitempty"`
	Path        string            `json:"path"`
	Line        int               `json:"line"`
	Column      int               `json:"column"`
	EndLine     int               `json:"end_line"`
	EndColumn   int               `json:"end_column"`
	Commit      string            `json:"commit"`
	AuthorName  string            `json:"author_name"`
	AuthorEmail string            `json:"author_email"`
	Date        *time.Time        `json:"date"`
	Blob        string            `json:"blob,omitempty"`
	TierHint    string            `json:"tier_hint"`
	WebsiteIDs  []string          `json:"website_ids,omitempty"`
	Details     map[string]string `json:"details,omitempty"`
	Validation  *jsonValidation   `json:"validation"`
	Secret      map[string]string `json:"secret,omitempty"`
}

type jsonValidation struct {
	Status    finding.Status `json:"status"`
	Tier      string         `json:"tier,omitempty"`
	CheckedAt time.Time      `json:"checked_at"`
	Detail    string         `json:"detail,omitempty"`
	Reach     *jsonReach     `json:"reach,omitempty"`
}

type jsonStats struct {
	Commits       int64          `json:"commits"`
	Blobs         int64          `json:"blobs"`
	Bytes         int64          `json:"bytes"`
	SkippedBinary int64          `json:"skipped_binary"`
	SkippedLarge  int64          `json:"skipped_large"`
	Unreachable   int64          `json:"unreachable"`
	Findings      int            `json:"findings"`
	Suppressed    map[string]int `json:"suppressed"`
	Warnings      int            `json:"warnings"`
	DurationMS    int64          `json:"duration_ms"`
	MissingBlobs  int64          `json:"missing_blobs"`
	FetchedBlobs  int64          `json:"fetched_blobs"`
	CorruptBlobs  int64          `json:"corrupt_blobs"`
	Incomplete    bool           `json:"incomplete"`
	// Providers is what validation spent, by "provider/tier"; omitted when
	// nothing was validated.
	Providers map[string]jsonUsage `json:"providers,omitempty"`
}

// WriteJSON writes the report as JSON, schema version 1.
func WriteJSON(w io.Writer, r *Report, opts Options) error {
	doc := jsonReport{
		Version:  SchemaVersion,
		Tool:     jsonTool{Name: r.Tool.Name, Version: r.Tool.Version},
		Target:   jsonTarget{Kind: r.Target.Kind, Path: r.Target.Path, Range: r.Target.Range},
		Findings: make([]jsonFinding, 0, len(r.Findings)),
		Stats:    toJSONStats(r.Stats),
	}
	for _, repo := range r.Repositories {
		doc.Repositories = append(doc.Repositories, toJSONRepository(repo))
	}
	if r.Repositories != nil && doc.Repositories == nil {
		doc.Repositories = []jsonRepository{}
	}
	for _, f := range r.Findings {
		doc.Findings = append(doc.Findings, toJSONFinding(f, opts.ShowSecrets))
	}
	return encodeJSON(w, doc)
}

func toJSONFinding(f finding.Finding, raw bool) jsonFinding {
	j := jsonFinding{
		RuleID: f.RuleID, Provider: f.Provider, Severity: f.Severity, Description: f.Description,
		Fingerprint: f.Fingerprint, Redacted: f.Redacted(), Repository: f.Repository, Path: f.Path,
		Line: f.Line, Column: f.Column, EndLine: f.EndLine, EndColumn: f.EndColumn,
		Commit: f.Commit, AuthorName: f.AuthorName, AuthorEmail: f.AuthorEmail, Blob: f.Blob,
		TierHint: f.TierHint, WebsiteIDs: f.WebsiteIDs, Details: f.Details,
	}
	if !f.Date.IsZero() {
		d := f.Date
		j.Date = &d
	}
	if v := f.Validation; v != nil {
		j.Validation = &jsonValidation{Status: v.Status, Tier: v.Tier, CheckedAt: v.CheckedAt, Detail: v.Detail,
			Reach: toJSONReach(v.Reach)}
	}
	if raw {
		j.Secret = map[string]string{}
		for _, p := range f.Parts {
			j.Secret[p.Name] = p.Value.Reveal()
		}
	}
	return j
}

func toJSONStats(s finding.Stats) jsonStats {
	sup := s.Suppressed
	if sup == nil {
		sup = map[string]int{}
	}
	return jsonStats{
		Commits: s.Commits, Blobs: s.Blobs, Bytes: s.Bytes, SkippedBinary: s.SkippedBinary,
		SkippedLarge: s.SkippedLarge, Unreachable: s.Unreachable, Findings: s.Findings,
		Suppressed: sup, Warnings: s.Warnings, DurationMS: s.Duration.Milliseconds(),
		MissingBlobs: s.MissingBlobs, FetchedBlobs: s.FetchedBlobs, CorruptBlobs: s.CorruptBlobs,
		Incomplete: s.Incomplete, Providers: toJSONUsage(s.Providers),
	}
}

func fromJSONStats(s jsonStats) finding.Stats {
	return finding.Stats{
		Commits: s.Commits, Blobs: s.Blobs, Bytes: s.Bytes, SkippedBinary: s.SkippedBinary,
		SkippedLarge: s.SkippedLarge, Unreachable: s.Unreachable, Findings: s.Findings,
		Suppressed: s.Suppressed, Warnings: s.Warnings, Duration: time.Duration(s.DurationMS) * time.Millisecond,
		MissingBlobs: s.MissingBlobs, FetchedBlobs: s.FetchedBlobs, CorruptBlobs: s.CorruptBlobs,
		Incomplete: s.Incomplete, Providers: fromJSONUsage(s.Providers),
	}
}

// ReadJSON reads a report written by WriteJSON. Findings of a report made
// with --show-secrets get their parts back; otherwise they have none.
func ReadJSON(rd io.Reader) (*Report, error) {
	var doc jsonReport
	if err := json.NewDecoder(rd).Decode(&doc); err != nil {
		return nil, fmt.Errorf("read JSON report: %w", err)
	}
	if doc.Version != SchemaVersion {
		return nil, fmt.Errorf("read JSON report: schema version %d, want %d", doc.Version, SchemaVersion)
	}
	r := &Report{
		Tool:   Tool{Name: doc.Tool.Name, Version: doc.Tool.Version},
		Target: Target{Kind: doc.Target.Kind, Path: doc.Target.Path, Range: doc.Target.Range},
		Stats:  fromJSONStats(doc.Stats),
	}
	for _, j := range doc.Repositories {
		r.Repositories = append(r.Repositories, fromJSONRepository(j))
	}
	for _, j := range doc.Findings {
		r.Findings = append(r.Findings, fromJSONFinding(j))
	}
	return r, nil
}

// partOrder lists the part names in fingerprint order for the built-in rules;
// other names follow in the order they sort.
var partOrder = map[string]int{"identifier": 0, "user": 0, "key": 1, "password": 1, "token": 0, "secret": 0}

func fromJSONFinding(j jsonFinding) finding.Finding {
	f := finding.Finding{
		RuleID: j.RuleID, Provider: j.Provider, Severity: j.Severity, Description: j.Description,
		Fingerprint: j.Fingerprint, TierHint: j.TierHint, WebsiteIDs: j.WebsiteIDs, Details: j.Details,
		Location: finding.Location{
			Repository: j.Repository, Path: j.Path, Line: j.Line, Column: j.Column, EndLine: j.EndLine,
			EndColumn: j.EndColumn, Commit: j.Commit, AuthorName: j.AuthorName, AuthorEmail: j.AuthorEmail, Blob: j.Blob,
		},
	}
	if j.Date != nil {
		f.Date = *j.Date
	}
	if v := j.Validation; v != nil {
		f.Validation = &finding.Validation{Status: v.Status, Tier: v.Tier, CheckedAt: v.CheckedAt, Detail: v.Detail,
			Reach: fromJSONReach(v.Reach)}
	}
	f.Parts = partsFrom(j.Secret)
	if len(f.Parts) == 0 {
		f.Display = j.Redacted // no raw values: keep the redacted form for the next rendering
	}
	return f
}

func partsFrom(secret map[string]string) []finding.Part {
	var parts []finding.Part
	for name, v := range secret {
		parts = append(parts, finding.Part{Name: name, Value: finding.NewSecret(v)})
	}
	for i := 1; i < len(parts); i++ {
		for j := i; j > 0 && less(parts[j].Name, parts[j-1].Name); j-- {
			parts[j], parts[j-1] = parts[j-1], parts[j]
		}
	}
	return parts
}

func less(a, b string) bool {
	oa, ka := partOrder[a]
	ob, kb := partOrder[b]
	if ka && kb && oa != ob {
		return oa < ob
	}
	if ka != kb {
		return ka
	}
	return a < b
}
