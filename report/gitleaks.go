package report

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/scanner-dev/scanner/finding"
)

// GitleaksIgnore suppresses the findings a .gitleaksignore file, or a gitleaks
// JSON report read as a baseline, lists.
//
// gitleaks names a finding by where it is: "commit:path:rule:line" in git
// scans, "path:rule:line" in directory scans. gitleaks has none of this
// scanner's rules, so an entry matches one of our findings when
//
//   - its path is the finding's path (an absolute path matches when it ends
//     with "/" and the finding's path, for reports of `gitleaks dir /abs/dir`),
//   - its line lies within the finding's lines (a key pair can span lines),
//   - its commit, when it has one, is the finding's commit or a prefix of at
//     least 7 characters of it (an entry with a commit never matches a
//     finding without one, as in gitleaks), and
//   - its rule is the finding's rule, or any rule id that is not one of ours
//     (generic-api-key, jwt, curl-auth-user...): a gitleaks rule on that line
//     means the user reviewed that line. An entry naming another of our rules
//     does not match: it was written for that other finding.
//
// A gitleaks report entry whose Secret is not redacted also matches a finding
// with that same credential at the same path, wherever the line moved.
type GitleaksIgnore struct {
	byPath  map[string][]gitleaksEntry // normalised path -> entries
	abs     []gitleaksEntry            // entries with absolute paths
	secrets map[string][]string        // sha256 of a reported secret -> paths
	own     map[string]bool            // our rule ids
	// Warnings lists the lines of a .gitleaksignore that are not fingerprints
	// (gitleaks skips them with a warning too), one line each, without their
	// content (a line may hold a pasted credential).
	Warnings []string
}

type gitleaksEntry struct {
	commit, path, rule string
	line               int
}

// ParseGitleaksIgnore reads a .gitleaksignore file: one fingerprint a line,
// "commit:path:rule:line" or "path:rule:line"; blank lines and lines starting
// with "#" are skipped. ownRules are the ids of the rules in force (see
// GitleaksIgnore for how an entry's rule is matched); with none, any entry at
// a finding's path and line matches it.
func ParseGitleaksIgnore(r io.Reader, ownRules []string) (*GitleaksIgnore, error) {
	g := newGitleaksIgnore(ownRules)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		e, ok := parseGitleaksFingerprint(line)
		if !ok {
			g.Warnings = append(g.Warnings, fmt.Sprintf(
				".gitleaksignore line %d: not a fingerprint (want commit:path:rule:line or path:rule:line); skipped", n))
			continue
		}
		g.add(e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read .gitleaksignore: %w", err)
	}
	return g, nil
}

func newGitleaksIgnore(ownRules []string) *GitleaksIgnore {
	g := &GitleaksIgnore{byPath: map[string][]gitleaksEntry{}, secrets: map[string][]string{}, own: map[string]bool{}}
	for _, id := range ownRules {
		g.own[id] = true
	}
	return g
}

// parseGitleaksFingerprint reads "commit:path:rule:line" or "path:rule:line"
// from the right, so that a path holding ":" still reads; the first field is
// a commit only when it is hexadecimal and something follows it.
func parseGitleaksFingerprint(s string) (gitleaksEntry, bool) {
	var e gitleaksEntry
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return e, false
	}
	line, err := strconv.Atoi(s[i+1:])
	if err != nil || line < 1 {
		return e, false
	}
	rest := s[:i]
	j := strings.LastIndexByte(rest, ':')
	if j < 0 || j == len(rest)-1 {
		return e, false
	}
	e.line, e.rule, rest = line, rest[j+1:], rest[:j]
	if c, p, ok := strings.Cut(rest, ":"); ok && isCommitID(c) && p != "" {
		e.commit, rest = strings.ToLower(c), p
	}
	e.path = normalisePath(rest)
	return e, e.path != ""
}

func isCommitID(s string) bool {
	if len(s) < 7 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}

func normalisePath(p string) string {
	p = strings.ReplaceAll(p, "\\", "/")
	for strings.HasPrefix(p, "./") {
		p = p[2:]
	}
	return p
}

func (g *GitleaksIgnore) add(e gitleaksEntry) {
	if strings.HasPrefix(e.path, "/") {
		g.abs = append(g.abs, e)
	}
	g.byPath[e.path] = append(g.byPath[e.path], e)
}

// Len returns the number of entries.
func (g *GitleaksIgnore) Len() int {
	n := 0
	for _, es := range g.byPath {
		n += len(es)
	}
	return n
}

// Match reports whether an entry lists the finding (see GitleaksIgnore).
// The caller moves a matched finding to the suppressed ones with reason
// finding.SuppressedBaseline.
func (g *GitleaksIgnore) Match(f finding.Finding) bool {
	for _, e := range g.byPath[f.Path] {
		if g.matches(e, f) {
			return true
		}
	}
	for _, e := range g.abs {
		if f.Path != "" && strings.HasSuffix(e.path, "/"+f.Path) && g.matches(e, f) {
			return true
		}
	}
	return len(g.secrets) > 0 && g.matchSecret(f)
}

func (g *GitleaksIgnore) matches(e gitleaksEntry, f finding.Finding) bool {
	end := max(f.EndLine, f.Line)
	if e.line < f.Line || e.line > end {
		return false
	}
	if e.commit != "" && (len(f.Commit) < len(e.commit) || !strings.EqualFold(f.Commit[:len(e.commit)], e.commit)) {
		return false
	}
	return e.rule == f.RuleID || !g.own[e.rule]
}

func (g *GitleaksIgnore) matchSecret(f finding.Finding) bool {
	cands := []string{f.Fingerprint}
	for _, p := range f.Parts {
		cands = append(cands, hashSecret(p.Value.Reveal()))
	}
	for _, c := range cands {
		for _, p := range g.secrets[c] {
			if p == f.Path || (strings.HasPrefix(p, "/") && f.Path != "" && strings.HasSuffix(p, "/"+f.Path)) {
				return true
			}
		}
	}
	return false
}

func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// IsGitleaksReport reports whether data looks like a gitleaks JSON report: a
// JSON array, empty or of objects with a RuleID. This scanner's own reports
// and baselines are JSON objects.
func IsGitleaksReport(data []byte) bool {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '[' {
		return false
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		return false
	}
	if len(items) == 0 {
		return true
	}
	_, ok := items[0]["RuleID"]
	return ok
}

// ReadGitleaksBaseline reads a gitleaks JSON report (gitleaks
// --report-format json) as a baseline, as gitleaks --baseline-path does: each
// finding in it (RuleID, File, StartLine, EndLine, Commit, and Secret unless
// redacted) becomes an entry matched like a .gitleaksignore fingerprint.
func ReadGitleaksBaseline(r io.Reader, ownRules []string) (*GitleaksIgnore, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read gitleaks report: %w", err)
	}
	const want = "want a gitleaks JSON report: an array of findings with RuleID, File and StartLine"
	var items []json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("read gitleaks report: not valid JSON at byte %d (%s)", se.Offset, want)
		}
		return nil, fmt.Errorf("read gitleaks report: %s", want)
	}
	g := newGitleaksIgnore(ownRules)
	for i, raw := range items {
		if err := g.addReported(raw); err != nil {
			return nil, fmt.Errorf("read gitleaks report: finding %d: %w (%s)", i+1, err, want)
		}
	}
	return g, nil
}

// addReported adds one finding of a gitleaks report.
func (g *GitleaksIgnore) addReported(raw json.RawMessage) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return fmt.Errorf("not an object")
	}
	var e gitleaksEntry
	var secret string
	for _, f := range []struct {
		key      string
		dst      *string
		required bool
	}{{"RuleID", &e.rule, true}, {"File", &e.path, true}, {"Commit", &e.commit, false}, {"Secret", &secret, false}} {
		if err := jsonField(m, f.key, f.dst, f.required); err != nil {
			return err
		}
	}
	if err := jsonField(m, "StartLine", &e.line, true); err != nil {
		return err
	}
	e.path, e.commit = normalisePath(e.path), strings.ToLower(e.commit)
	g.add(e)
	if secret != "" && secret != "REDACTED" && !strings.HasSuffix(secret, "...") {
		h := hashSecret(secret)
		g.secrets[h] = append(g.secrets[h], e.path)
	}
	return nil
}

// jsonField decodes m[key] into dst (a *string or *int), with an error that
// names the JSON type expected.
func jsonField[T string | int](m map[string]json.RawMessage, key string, dst *T, required bool) error {
	raw, ok := m[key]
	if !ok || string(raw) == "null" {
		if required {
			return fmt.Errorf("no %s", key)
		}
		return nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		kind := "a string"
		if _, isInt := any(dst).(*int); isInt {
			kind = "a whole number"
		}
		return fmt.Errorf("%s: want %s", key, kind)
	}
	return nil
}
