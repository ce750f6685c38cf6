package report

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/scanner-dev/scanner/finding"
)

// roundTrip writes rep as JSON without raw values and reads it back, as
// "scanner report merge" does with the shards of a sweep.
func roundTrip(t *testing.T, rep *Report) *Report {
	t.Helper()
	back, err := ReadJSON(strings.NewReader(render(t, rep, "json", Options{})))
	if err != nil {
		t.Fatal(err)
	}
	return back
}

func TestMergedReportsKeepTheRedactedFormInEveryFormat(t *testing.T) {
	s := newSample(t)
	a, b := *s.rep, *s.rep
	a.Findings, b.Findings = s.rep.Findings[:2], s.rep.Findings[1:]
	merged := Merge(Tool{Name: "scanner", Version: "9"}, roundTrip(t, &a), roundTrip(t, &b))
	if len(merged.Findings) != len(s.rep.Findings) {
		t.Fatalf("%d merged findings, want %d", len(merged.Findings), len(s.rep.Findings))
	}
	byFP := map[string]finding.Finding{}
	for _, f := range s.rep.Findings {
		byFP[f.Fingerprint] = f
	}
	for _, f := range merged.Findings {
		if want := byFP[f.Fingerprint]; f.Redacted() != want.Redacted() || f.Redacted() == "" {
			t.Errorf("%s: redacted %q after merge, want %q", f.Path, s.scrub(f.Redacted()), s.scrub(want.Redacted()))
		}
	}
	for _, format := range Formats {
		for _, show := range []bool{false, true} {
			out := render(t, merged, format, Options{ShowSecrets: show})
			for _, f := range merged.Findings {
				if red := f.Redacted(); format != "csv" && !strings.Contains(out, red) ||
					format == "csv" && !strings.Contains(out, cellSafe(red)) {
					t.Errorf("%s (show secrets %v): no redacted %q", format, show, s.scrub(red))
				}
			}
			for _, raw := range s.raw() {
				if strings.Contains(out, raw) {
					t.Errorf("%s (show secrets %v): a raw value from a redacted report", format, show)
				}
			}
		}
	}
	again := roundTrip(t, merged)
	if again.Findings[0].Redacted() != merged.Findings[0].Redacted() {
		t.Error("a second round trip lost the redacted form")
	}
}

func TestRepositoriesInJSONAndText(t *testing.T) {
	s := newSample(t)
	if strings.Contains(render(t, s.rep, "json", Options{}), `"repositories"`) {
		t.Error("a run that is no sweep has a repositories array")
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tip := strings.Repeat("ab", 20)
	rep := *s.rep
	rep.Repositories = []Repository{
		{Name: "acme/a", Status: "scanned", Mode: "full", Refs: 1, Commits: 7, Tips: map[string]string{"refs/heads/main": tip},
			ScannerVersion: "1.2.3", RulesHash: "sha256:r", ScannedAt: at},
		{Name: "acme/b", Status: "unchanged", Mode: "incremental", Refs: 1, Tips: map[string]string{"refs/heads/main": tip},
			ScannerVersion: "1.2.2", RulesHash: "sha256:r", ScannedAt: at.Add(-time.Hour)},
		{Name: "acme/c", Status: "skipped", Reason: "archived"},
		{Name: "acme/d", Status: "skipped", Reason: "fork"},
		{Name: "acme/e", Status: "failed", Error: "git clone: repository not found\x1b[2J"},
	}
	out := render(t, &rep, "json", Options{})
	repos := arr(t, decode(t, out), "repositories")
	first := repos[0].(map[string]any)
	for key, want := range map[string]any{"name": "acme/a", "status": "scanned", "mode": "full", "refs": float64(1),
		"commits": float64(7), "scanner_version": "1.2.3", "rules_hash": "sha256:r", "scanned_at": "2026-01-02T03:04:05Z"} {
		if first[key] != want {
			t.Errorf("repositories[0].%s = %v, want %v", key, first[key], want)
		}
	}
	if obj(t, first, "tips")["refs/heads/main"] != tip || repos[2].(map[string]any)["reason"] != "archived" {
		t.Errorf("repositories %s", fmtJSON(repos))
	}
	back, err := ReadJSON(strings.NewReader(out))
	if err != nil || !reflect.DeepEqual(back.Repositories, rep.Repositories) {
		t.Errorf("read back %+v, %v", back.Repositories, err)
	}
	text := render(t, &rep, "text", Options{})
	if !strings.Contains(text, "5 repositories: 1 scanned, 1 unchanged, 2 skipped (1 archived, 1 fork), 1 failed\n") ||
		!strings.Contains(text, "failed  acme/e: ") || strings.Contains(text, "\x1b") {
		t.Errorf("text summary:\n%s", text)
	}
}

func TestMergeKeepsEachRepositoryOnce(t *testing.T) {
	old := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a := &Report{Repositories: []Repository{{Name: "acme/b", Status: "scanned", ScannedAt: old}, {Name: "acme/a", Status: "failed"}}}
	b := &Report{Repositories: []Repository{{Name: "acme/b", Status: "scanned", ScannedAt: old.Add(time.Hour)}}}
	m := Merge(Tool{}, a, b)
	if len(m.Repositories) != 2 || m.Repositories[0].Name != "acme/a" || !m.Repositories[1].ScannedAt.Equal(old.Add(time.Hour)) {
		t.Errorf("merged repositories %+v", m.Repositories)
	}
	if Merge(Tool{}, &Report{}).Repositories != nil {
		t.Error("merging reports without repositories made an array")
	}
}

func TestReachJSONNamesAreFindingsOwn(t *testing.T) {
	tags := map[string]bool{}
	rt := reflect.TypeOf(finding.Reach{})
	for i := 0; i < rt.NumField(); i++ {
		tags[strings.Split(rt.Field(i).Tag.Get("json"), ",")[0]] = true
	}
	jt := reflect.TypeOf(jsonReach{})
	if jt.NumField() != rt.NumField() {
		t.Errorf("jsonReach has %d fields, finding.Reach %d", jt.NumField(), rt.NumField())
	}
	for i := 0; i < jt.NumField(); i++ {
		if name := strings.Split(jt.Field(i).Tag.Get("json"), ",")[0]; !tags[name] {
			t.Errorf("validation.reach.%s is not a finding.Reach JSON name", name)
		}
	}
}

func TestSARIFArtifactURIs(t *testing.T) {
	tests := []struct{ path, uri, base string }{
		{"config/.env", "config/.env", srcRoot},
		{"./deploy/app.env", "deploy/app.env", srcRoot},
		{"my dir/a#b[1].env", "my%20dir/a%23b%5B1%5D.env", srcRoot},
		{"ünï/x?.txt", "%C3%BCn%C3%AF/x%3F.txt", srcRoot},
		{"100%.txt", "100%25.txt", srcRoot},
		{"c:notes.txt", "c%3Anotes.txt", srcRoot},
		{"a\x1b[2J\n.env", "a%1B%5B2J%0A.env", srcRoot},
		{"/srv/app/p q.env", "file:///srv/app/p%20q.env", ""},
		{`C:\src\a b.env`, "file:///C:/src/a%20b.env", ""},
	}
	for _, tt := range tests {
		uri, base := artifactURI(tt.path)
		if uri != tt.uri || base != tt.base {
			t.Errorf("artifactURI(%q) = %q, %q; want %q, %q", tt.path, uri, base, tt.uri, tt.base)
		}
		u, err := url.Parse(uri)
		if err != nil {
			t.Errorf("%q does not parse: %v", uri, err)
			continue
		}
		if want := strings.TrimPrefix(strings.ReplaceAll(tt.path, `\`, "/"), "./"); base != "" && (u.Path != want || u.Scheme != "" || u.Fragment != "") {
			t.Errorf("%q parses to path %q (scheme %q, fragment %q), want %q", uri, u.Path, u.Scheme, u.Fragment, want)
		}
	}
}

// many returns n findings, every tenth critical, the others low.
func many(n int) []finding.Finding {
	fs := make([]finding.Finding, n)
	for i := range fs {
		sev := finding.Low
		if i%10 == 0 {
			sev = finding.Critical
		}
		fs[i] = finding.Finding{RuleID: "r", Severity: sev, Fingerprint: "sha256:x", Display: "****",
			Location: finding.Location{Path: "p", Line: i + 1}}
	}
	return fs
}

func TestSARIFHoldsAtMostGitHubsLimit(t *testing.T) {
	if SARIFMaxResults != 25000 {
		t.Errorf("SARIFMaxResults %d, GitHub's limit is 25000", SARIFMaxResults)
	}
	const limit, n = 50, 73
	var warnings []string
	opts := Options{Warn: func(m string) { warnings = append(warnings, m) }}
	var b bytes.Buffer
	if err := encodeJSON(&b, buildSARIF(&Report{Tool: Tool{Name: "scanner"}, Findings: many(n)}, limit, opts)); err != nil {
		t.Fatal(err)
	}
	run := arr(t, decode(t, b.String()), "runs")[0]
	results := arr(t, run, "results")
	if len(results) != limit {
		t.Fatalf("%d results, want %d", len(results), limit)
	}
	crit, lastLine := 0, 0.0
	for _, r := range results {
		res := r.(map[string]any)
		if res["level"] == "error" {
			crit++
		}
		region := obj(t, obj(t, arr(t, res, "locations")[0], "physicalLocation"), "region")
		if line := region["startLine"].(float64); line <= lastLine {
			t.Errorf("results out of report order: line %v after %v", line, lastLine)
		} else {
			lastLine = line
		}
	}
	if want := (n + 9) / 10; crit != want {
		t.Errorf("%d critical results kept, want all %d", crit, want)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "23 of 73") {
		t.Errorf("warnings %q", warnings)
	}
	if note := arr(t, arr(t, run, "invocations")[0], "toolExecutionNotifications"); len(note) != 1 {
		t.Errorf("notifications %v", note)
	}
	warnings = nil
	render(t, &Report{Findings: many(10)}, "sarif", opts)
	if len(warnings) != 0 {
		t.Errorf("warned below the limit: %q", warnings)
	}
}

func TestCSV(t *testing.T) {
	s := newSample(t)
	s.rep.Findings[1].Path = "=HYPERLINK(\"x\")"
	for _, show := range []bool{false, true} {
		out := render(t, s.rep, "csv", Options{ShowSecrets: show})
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(s.rep.Findings)+1 || strings.Join(rows[0][:16], ",") !=
			"RuleID,Commit,File,SymlinkFile,Secret,Match,StartLine,EndLine,StartColumn,EndColumn,Author,Message,Date,Email,Fingerprint,Tags" {
			t.Fatalf("rows %q", rows)
		}
		f := s.rep.Findings[0]
		row := rows[1]
		if row[0] != f.RuleID || row[1] != f.Commit || row[2] != f.Path || row[6] != "3" || row[14] != f.Commit+":config/.env:crisp-token:3" || row[20] != f.Fingerprint {
			t.Errorf("row %q", s.scrub(strings.Join(row, ",")))
		}
		if rows[2][2] != "'"+s.rep.Findings[1].Path {
			t.Errorf("formula cell %q not neutralised", rows[2][2])
		}
		for _, raw := range s.raw() {
			if strings.Contains(out, raw) != show {
				t.Errorf("show secrets %v: raw value present %v", show, !show)
			}
		}
	}
}

func TestJUnit(t *testing.T) {
	s := newSample(t)
	for _, show := range []bool{false, true} {
		out := render(t, s.rep, "junit", Options{ShowSecrets: show})
		var doc junitSuites
		if err := xml.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if doc.Tests != 4 || doc.Failures != 4 || len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != 4 {
			t.Errorf("tests %d failures %d", doc.Tests, doc.Failures)
		}
		for _, raw := range s.raw() {
			if strings.Contains(out, raw) {
				t.Error("JUnit holds a raw value")
			}
		}
	}
	var doc junitSuites
	if err := xml.Unmarshal([]byte(render(t, &Report{}, "junit", Options{})), &doc); err != nil || doc.Tests != 1 || doc.Failures != 0 {
		t.Errorf("clean run: %+v %v", doc, err)
	}
}

// TestNoFormatPassesControlBytes writes a finding whose path, author and
// details hold terminal escapes and forged lines in every format.
func TestNoFormatPassesControlBytes(t *testing.T) {
	f := finding.Finding{RuleID: "r", Provider: "p", Severity: finding.High, Description: "d\x1b[1m", Fingerprint: "sha256:0",
		Display: "****", Details: map[string]string{"org": "x\x1b]0;title\x07"},
		Location: finding.Location{Path: "a\n::error file=x::forged\x1b[2J", Line: 1, Column: 1, Commit: "0123456789",
			AuthorName: "Eve\rX\x1b[31m", AuthorEmail: "e@x\u202e"},
		Validation: &finding.Validation{Status: finding.Live, Detail: "ok\x1b[0m", Reach: &finding.Reach{Org: "o\x1b[5m"}}}
	rep := &Report{Findings: []finding.Finding{f}, Repositories: []Repository{{Name: "acme/x", Status: "failed", Error: "e\x1b[2J"}}}
	for _, format := range Formats {
		out := render(t, rep, format, Options{})
		if bytes.ContainsAny([]byte(out), "\x1b\r\x07\u202e") || strings.Contains(out, "\n::error") {
			t.Errorf("%s: control characters reached the output:\n%q", format, out)
		}
	}
}
