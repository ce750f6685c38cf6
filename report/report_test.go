package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sample is a report built from run-time fixture values, with the
// replacements that turn its rendering into stable golden text.
type sample struct {
	fx     *rules.Fixture
	commit string
	blob   string
	rep    *Report
}

func newSample(t *testing.T) *sample {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	t.Logf("fixture seed %d", seed)
	r := rand.New(rand.NewPCG(seed, ^seed))
	s := &sample{fx: rules.NewFixture(r), commit: rules.RandomHex(r, 20), blob: rules.RandomHex(r, 20)}
	date := time.Date(2024, 1, 2, 10, 0, 0, 0, time.UTC)
	checked := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	s.rep = &Report{
		Tool:   Tool{Name: "scanner", Version: "1.2.3"},
		Target: Target{Kind: "git", Path: "/src/app", Range: "main..pr"},
		Findings: []finding.Finding{
			newFinding("crisp-token", "crisp", finding.High, "Crisp REST API token",
				finding.Location{Path: "config/.env", Line: 3, Column: 18, EndLine: 4, EndColumn: 74,
					Commit: s.commit, AuthorName: "Bo Ops", AuthorEmail: "bo@example.com", Date: date, Blob: s.blob},
				"identifier", s.fx.ID, "key", s.fx.Key),
			newFinding("generic-basic-auth", "generic", finding.Medium, "HTTP Basic credentials",
				finding.Location{Path: "api.http", Line: 2, Column: 22, EndLine: 2, EndColumn: 65},
				"user", s.fx.User, "password", s.fx.Password),
			newFinding("kustomer-api-key", "kustomer", finding.Low, "Kustomer API key",
				finding.Location{Repository: "acme/web", Path: "src/chat.js", Line: 7, Column: 30, EndLine: 7, EndColumn: 470},
				"token", s.fx.KustomerChatKey),
			newFinding("crisp-token", "crisp", finding.Critical, "Crisp REST API token",
				finding.Location{Path: "deploy/values.yaml", Line: 12, Column: 9, EndLine: 13, EndColumn: 72},
				"identifier", s.fx.ID2, "key", s.fx.Key2),
		},
		Stats: finding.Stats{Commits: 12, Blobs: 30, Bytes: 123456, SkippedBinary: 1, SkippedLarge: 2, Unreachable: 1,
			Findings: 4, Suppressed: map[string]int{"inline": 1}, Warnings: 1, Duration: 1500 * time.Millisecond,
			MissingBlobs: 2, FetchedBlobs: 3, CorruptBlobs: 1,
			Providers: map[string]finding.ProviderUsage{"crisp/plugin": {Requests: 3, Budget: 500}}},
	}
	f := s.rep.Findings
	f[0].TierHint, f[0].WebsiteIDs = "plugin", []string{s.fx.WebsiteID}
	f[0].Validation = &finding.Validation{Status: finding.Live, Tier: "plugin", CheckedAt: checked, Detail: "HTTP 200",
		Reach: &finding.Reach{Websites: 14, WebsiteIDs: []string{s.fx.WebsiteID}}}
	f[2].Validation = &finding.Validation{Status: finding.Live, CheckedAt: checked, Detail: "token document",
		Reach: &finding.Reach{Org: "acme", Roles: []string{"org.admin", "org.user"}, Expires: time.Date(2027, 3, 4, 0, 0, 0, 0, time.UTC)}}
	f[1].Validation = &finding.Validation{Status: finding.Live, Tier: "basic", CheckedAt: checked, Detail: "HTTP 200"}
	f[2].Details = map[string]string{"roles": "org.tracking", "org_name": "acme"}
	f[3].Validation = &finding.Validation{Status: finding.Unknown, CheckedAt: checked, Detail: "timeout"}
	return s
}

func newFinding(rule, provider string, sev finding.Severity, desc string, loc finding.Location, parts ...string) finding.Finding {
	f := finding.Finding{RuleID: rule, Provider: provider, Severity: sev, Description: desc, Location: loc}
	for i := 0; i < len(parts); i += 2 {
		f.Parts = append(f.Parts, finding.Part{Name: parts[i], Value: finding.NewSecret(parts[i+1])})
	}
	f.Fingerprint = finding.Fingerprint(f.Parts...)
	return f
}

// raw lists every raw part value of the sample.
func (s *sample) raw() []string {
	var out []string
	for _, f := range s.rep.Findings {
		for _, p := range f.Parts {
			out = append(out, p.Value.Reveal())
		}
	}
	return out
}

// scrub replaces the run-dependent values of a rendering with placeholders.
func (s *sample) scrub(text string) string {
	var pairs []string
	add := func(old, ph string) { pairs = append(pairs, old, ph) }
	for i, f := range s.rep.Findings {
		add(f.Fingerprint, "<fingerprint "+f.RuleID+" "+string(rune('1'+i))+">")
	}
	add(s.commit, "<commit>")
	add(s.blob, "<blob>")
	add(s.fx.WebsiteID, "<website-id>")
	for i, f := range s.rep.Findings {
		for _, p := range f.Parts {
			name := "<" + p.Name + " " + string(rune('1'+i))
			add(p.Value.Reveal(), name+">")
			if r := p.Value.Redacted(); r != "****" {
				add(r, name+" redacted>")
			}
		}
	}
	add(short(s.commit), "<short commit>")
	return strings.NewReplacer(pairs...).Replace(text)
}

// credentialRe matches what must never reach a golden file.
var credentialRe = regexp.MustCompile(`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-f]{32,}|eyJ[A-Za-z0-9_-]{10,}`)

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	if m := credentialRe.FindString(got); m != "" {
		t.Fatalf("golden %s would hold a credential-shaped value (%d chars)", name, len(m))
	}
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// render writes the report in format.
func render(t *testing.T, rep *Report, format string, opts Options) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, format, rep, opts); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// decode parses JSON into generic values.
func decode(t *testing.T, text string) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	return doc
}

// obj and arr walk decoded JSON, failing on the wrong shape.
func obj(t *testing.T, v any, key string) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)[key].(map[string]any)
	if !ok {
		t.Fatalf("%q is not an object in %v", key, v)
	}
	return m
}

func arr(t *testing.T, v any, key string) []any {
	t.Helper()
	a, ok := v.(map[string]any)[key].([]any)
	if !ok {
		t.Fatalf("%q is not an array in %v", key, v)
	}
	return a
}

func TestJSONSchema(t *testing.T) {
	s := newSample(t)
	out := render(t, s.rep, "json", Options{})
	doc := decode(t, out)
	if doc["version"] != float64(1) {
		t.Errorf("version %v, want 1", doc["version"])
	}
	if tool := obj(t, doc, "tool"); tool["name"] != "scanner" || tool["version"] != "1.2.3" {
		t.Errorf("tool %v", tool)
	}
	if tg := obj(t, doc, "target"); tg["kind"] != "git" || tg["path"] != "/src/app" || tg["range"] != "main..pr" {
		t.Errorf("target %v", tg)
	}
	stats := obj(t, doc, "stats")
	for key, want := range map[string]float64{"commits": 12, "blobs": 30, "bytes": 123456, "skipped_binary": 1,
		"skipped_large": 2, "unreachable": 1, "findings": 4, "warnings": 1, "duration_ms": 1500} {
		if stats[key] != want {
			t.Errorf("stats.%s = %v, want %v", key, stats[key], want)
		}
	}
	for _, raw := range s.raw() {
		if strings.Contains(out, raw) {
			t.Errorf("raw part value in the JSON report without ShowSecrets")
		}
	}
	checkGolden(t, "report.json", s.scrub(out))
}

func TestJSONFindings(t *testing.T) {
	s := newSample(t)
	findings := arr(t, decode(t, render(t, s.rep, "json", Options{})), "findings")
	if len(findings) != len(s.rep.Findings) {
		t.Fatalf("%d findings, want %d", len(findings), len(s.rep.Findings))
	}
	required := []string{"rule_id", "provider", "severity", "fingerprint", "redacted", "path", "line", "column",
		"commit", "author_name", "author_email", "date", "tier_hint", "validation"}
	for i, want := range s.rep.Findings {
		t.Run(want.Path, func(t *testing.T) {
			f := findings[i].(map[string]any)
			for _, key := range required {
				if _, ok := f[key]; !ok {
					t.Errorf("no %q", key)
				}
			}
			if _, ok := f["secret"]; ok {
				t.Error("a secret without ShowSecrets")
			}
			if f["rule_id"] != want.RuleID || f["provider"] != want.Provider || f["severity"] != string(want.Severity) ||
				f["fingerprint"] != want.Fingerprint || f["redacted"] != want.Redacted() || f["path"] != want.Path ||
				f["line"] != float64(want.Line) || f["column"] != float64(want.Column) || f["commit"] != want.Commit ||
				f["author_name"] != want.AuthorName || f["author_email"] != want.AuthorEmail || f["tier_hint"] != want.TierHint {
				t.Errorf("%v", s.scrub(fmtJSON(f)))
			}
			if (want.Validation == nil) != (f["validation"] == nil) {
				t.Errorf("validation %v, want null only when not validated", f["validation"])
			}
			if wantDate := want.Date.Format(time.RFC3339); want.Date.IsZero() && f["date"] != nil || !want.Date.IsZero() && f["date"] != wantDate {
				t.Errorf("date %v, want %s (null without a commit)", f["date"], wantDate)
			}
		})
	}
}

func fmtJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestJSONShowSecrets(t *testing.T) {
	s := newSample(t)
	doc := decode(t, render(t, s.rep, "json", Options{ShowSecrets: true}))
	for i, v := range arr(t, doc, "findings") {
		secret := obj(t, v, "secret")
		want := s.rep.Findings[i].Parts
		if len(secret) != len(want) {
			t.Errorf("finding %d: %d secret parts, want %d", i, len(secret), len(want))
		}
		for _, p := range want {
			if secret[p.Name] != p.Value.Reveal() {
				t.Errorf("finding %d: secret.%s is not the raw value", i, p.Name)
			}
		}
	}
}

func TestReadJSONRoundTrip(t *testing.T) {
	s := newSample(t)
	back, err := ReadJSON(strings.NewReader(render(t, s.rep, "json", Options{ShowSecrets: true})))
	if err != nil {
		t.Fatal(err)
	}
	if back.Tool != s.rep.Tool || back.Target != s.rep.Target {
		t.Errorf("tool %+v target %+v", back.Tool, back.Target)
	}
	if len(back.Findings) != len(s.rep.Findings) {
		t.Fatalf("%d findings, want %d", len(back.Findings), len(s.rep.Findings))
	}
	for i, want := range s.rep.Findings {
		t.Run(want.RuleID+"/"+want.Path, func(t *testing.T) {
			got := back.Findings[i]
			if names(got.Parts) != names(want.Parts) {
				t.Errorf("parts %s, want %s (fingerprint order)", names(got.Parts), names(want.Parts))
			}
			if finding.Fingerprint(got.Parts...) != want.Fingerprint || got.Fingerprint != want.Fingerprint {
				t.Error("finding.Fingerprint(parts...) does not give the stored fingerprint")
			}
			wl, gl := want.Location, got.Location
			if !wl.Date.Equal(gl.Date) {
				t.Errorf("date %v, want %v", gl.Date, wl.Date)
			}
			wl.Date, gl.Date = time.Time{}, time.Time{}
			if s.scrub(fmtJSON(gl)) != s.scrub(fmtJSON(wl)) {
				t.Errorf("location %s, want %s", s.scrub(fmtJSON(gl)), s.scrub(fmtJSON(wl)))
			}
			if fmtJSON(got.Validation) != fmtJSON(want.Validation) || got.TierHint != want.TierHint ||
				fmtJSON(got.Details) != fmtJSON(want.Details) || fmtJSON(got.WebsiteIDs) != fmtJSON(want.WebsiteIDs) {
				t.Errorf("read back %s", s.scrub(fmtJSON(got)))
			}
		})
	}
	t.Run("stats", func(t *testing.T) {
		if fmtJSON(back.Stats) != fmtJSON(s.rep.Stats) {
			t.Errorf("stats read back %s, want %s", fmtJSON(back.Stats), fmtJSON(s.rep.Stats))
		}
	})
}

func names(parts []finding.Part) string {
	var n []string
	for _, p := range parts {
		n = append(n, p.Name)
	}
	return strings.Join(n, ",")
}

func TestReadJSONWithoutSecretsHasNoParts(t *testing.T) {
	s := newSample(t)
	back, err := ReadJSON(strings.NewReader(render(t, s.rep, "json", Options{})))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range back.Findings {
		if len(f.Parts) != 0 {
			t.Errorf("%s: %d parts from a redacted report", f.Path, len(f.Parts))
		}
	}
}

func TestReadJSONRejects(t *testing.T) {
	s := newSample(t)
	good := render(t, s.rep, "json", Options{})
	tests := []struct{ name, doc, want string }{
		{"schema version 2", strings.Replace(good, `"version": 1,`, `"version": 2,`, 1), "version 2"},
		{"no schema version", strings.Replace(good, `"version": 1,`, ``, 1), "version 0"},
		{"not JSON", "findings: []", "read JSON report"},
		{"empty", "", "read JSON report"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadJSON(strings.NewReader(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

func TestSARIF(t *testing.T) {
	s := newSample(t)
	out := render(t, s.rep, "sarif", Options{})
	doc := decode(t, out)
	if doc["version"] != "2.1.0" || !strings.Contains(doc["$schema"].(string), "sarif-2.1.0") {
		t.Errorf("version %v, $schema %v", doc["version"], doc["$schema"])
	}
	runs := arr(t, doc, "runs")
	if len(runs) != 1 {
		t.Fatalf("%d runs, want 1", len(runs))
	}
	driver := obj(t, obj(t, runs[0], "tool"), "driver")
	ruleIDs := checkSARIFRules(t, arr(t, driver, "rules"))
	results := arr(t, runs[0], "results")
	if len(results) != len(s.rep.Findings) {
		t.Fatalf("%d results, want %d", len(results), len(s.rep.Findings))
	}
	levels := map[finding.Severity]string{finding.Critical: "error", finding.High: "error", finding.Medium: "warning", finding.Low: "note"}
	for i, v := range results {
		res, want := v.(map[string]any), s.rep.Findings[i]
		idx, ok := res["ruleIndex"].(float64)
		if res["ruleId"] != want.RuleID || !ok || int(idx) >= len(ruleIDs) || ruleIDs[int(idx)] != want.RuleID {
			t.Errorf("result %d: ruleId %v ruleIndex %v, rules %v", i, res["ruleId"], res["ruleIndex"], ruleIDs)
		}
		if res["level"] != levels[want.Severity] {
			t.Errorf("result %d: level %v, want %s", i, res["level"], levels[want.Severity])
		}
		if fp := obj(t, res, "partialFingerprints"); len(fp) == 0 || fp["secretFingerprint/v1"] != want.Fingerprint {
			t.Errorf("result %d: partialFingerprints %v", i, fp)
		}
		locs := arr(t, res, "locations")
		if len(locs) != 1 {
			t.Fatalf("result %d: %d locations", i, len(locs))
		}
		phys := obj(t, locs[0], "physicalLocation")
		region := obj(t, phys, "region")
		if line, _ := region["startLine"].(float64); line < 1 || int(line) != want.Line || obj(t, phys, "artifactLocation")["uri"] != want.Path {
			t.Errorf("result %d: location %v", i, fmtJSON(phys))
		}
	}
	checkGolden(t, "report.sarif", s.scrub(out))
}

// checkSARIFRules checks the driver's rules and returns their ids in order.
func checkSARIFRules(t *testing.T, rules []any) []string {
	t.Helper()
	severity := map[string]string{"crisp-token": "9.5", "generic-basic-auth": "5.5", "kustomer-api-key": "3.0"}
	var ids []string
	for _, v := range rules {
		r := v.(map[string]any)
		id, _ := r["id"].(string)
		ids = append(ids, id)
		if r["name"] == "" || r["name"] == nil || obj(t, r, "shortDescription")["text"] == "" || obj(t, r, "help")["text"] == "" {
			t.Errorf("rule %s lacks a name, shortDescription or help: %v", id, fmtJSON(r))
		}
		if got := obj(t, r, "properties")["security-severity"]; got != severity[id] {
			t.Errorf("rule %s: security-severity %v, want %s (its most severe finding)", id, got, severity[id])
		}
	}
	if len(ids) != len(severity) {
		t.Errorf("rules %v, want one per rule id", ids)
	}
	return ids
}

func TestSARIFNeverHoldsRawParts(t *testing.T) {
	s := newSample(t)
	for _, show := range []bool{false, true} {
		out := render(t, s.rep, "sarif", Options{ShowSecrets: show})
		for _, raw := range s.raw() {
			if strings.Contains(out, raw) {
				t.Errorf("ShowSecrets %v: SARIF holds a raw part value", show)
			}
		}
	}
}

func TestSARIFRegionOfAnUnplacedFinding(t *testing.T) {
	s := newSample(t)
	f := s.rep.Findings[0]
	f.Location = finding.Location{Path: "stdin"}
	rep := &Report{Tool: s.rep.Tool, Findings: []finding.Finding{f}}
	doc := decode(t, render(t, rep, "sarif", Options{}))
	res := arr(t, arr(t, doc, "runs")[0], "results")[0]
	region := obj(t, obj(t, arr(t, res, "locations")[0], "physicalLocation"), "region")
	if region["startLine"] != float64(1) {
		t.Errorf("startLine %v for a finding without a line, want 1", region["startLine"])
	}
}

func TestSARIFWithoutFindings(t *testing.T) {
	doc := decode(t, render(t, &Report{Tool: Tool{Name: "scanner"}}, "sarif", Options{}))
	run := arr(t, doc, "runs")[0]
	if rules := arr(t, obj(t, obj(t, run, "tool"), "driver"), "rules"); len(rules) != 0 {
		t.Errorf("rules %v", rules)
	}
	if results := arr(t, run, "results"); len(results) != 0 {
		t.Errorf("results %v", results)
	}
}

var ansiRe = regexp.MustCompile("\x1b\\[[0-9;]*m")

func TestTextGolden(t *testing.T) {
	s := newSample(t)
	tests := []struct {
		name, golden string
		opts         Options
	}{
		{"redacted", "report.txt", Options{}},
		{"show secrets", "report-show-secrets.txt", Options{ShowSecrets: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := render(t, s.rep, "text", tt.opts)
			if strings.Contains(out, "\x1b") {
				t.Error("ANSI escape without Options.Color")
			}
			if !tt.opts.ShowSecrets {
				for _, raw := range s.raw() {
					if strings.Contains(out, raw) {
						t.Error("raw part value in the redacted text report")
					}
				}
			}
			checkGolden(t, tt.golden, s.scrub(out))
			colored := render(t, s.rep, "text", Options{ShowSecrets: tt.opts.ShowSecrets, Color: true})
			if !strings.Contains(colored, "\x1b[") {
				t.Error("no ANSI escape with Options.Color")
			}
			if ansiRe.ReplaceAllString(colored, "") != out {
				t.Error("the coloured report is not the plain one with escapes")
			}
		})
	}
}

func TestTextSummary(t *testing.T) {
	s := newSample(t)
	tests := []struct {
		name     string
		findings []finding.Finding
		stats    finding.Stats
		want     string
	}{
		{"nothing", nil, finding.Stats{Blobs: 3, Bytes: 2048}, "0 findings in 3 blobs, 2.0 KiB, 0s\n"},
		{"one", s.rep.Findings[:1], finding.Stats{Blobs: 1, Bytes: 10, Commits: 2, Duration: 20 * time.Millisecond},
			"1 finding (1 high) in 1 blobs, 10 B, 2 commits, 20ms\n"},
		{"by severity", s.rep.Findings, finding.Stats{Bytes: 3 << 20, Suppressed: map[string]int{"inline": 2, "allowlist": 1}},
			"4 findings (1 critical, 1 high, 1 medium, 1 low) in 0 blobs, 3.0 MiB, 0s; 3 suppressed\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := render(t, &Report{Findings: tt.findings, Stats: tt.stats}, "text", Options{})
			lines := strings.SplitAfter(out, "\n")
			if last := lines[len(lines)-2]; last != tt.want {
				t.Errorf("summary %q, want %q", last, tt.want)
			}
		})
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	err := Write(&bytes.Buffer{}, "xml", &Report{}, Options{})
	if err == nil || !strings.Contains(err.Error(), "xml") {
		t.Errorf("error %v, want one naming the format", err)
	}
}

func TestTextQuotesControlCharactersInPaths(t *testing.T) {
	f := finding.Finding{RuleID: "r", Severity: finding.High, Location: finding.Location{
		Path: "a\n::error file=x::forged\x1b[2J", Line: 1, Column: 1, Commit: "0123456789", AuthorName: "Eve\rX"}}
	var b strings.Builder
	if err := Write(&b, "text", &Report{Findings: []finding.Finding{f}}, Options{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "\n::error") || strings.ContainsAny(out, "\x1b\r") {
		t.Errorf("control characters reached the text report:\n%q", out)
	}
}
