package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// Allowlist says which findings are not leaks. A finding is allowed when any
// one of the lists matches it.
type Allowlist struct {
	Description string `toml:"description"`
	// Paths are doublestar globs on the finding's path ("**/testdata/**").
	Paths []string `toml:"paths"`
	// Regexes match the secret (RegexTarget "secret", the default), the whole
	// credential match ("match") or its line ("line").
	Regexes     []string `toml:"regexes"`
	RegexTarget string   `toml:"regexTarget"`
	// Stopwords allow a finding whose secret contains one of them.
	Stopwords []string `toml:"stopwords"`
	// Commits allow findings introduced by these commits (full ids or prefixes
	// of at least 7 characters).
	Commits []string `toml:"commits"`
	// Fingerprints allow known public credentials: "sha256:<hex>" of the whole
	// credential, or of any one of its parts.
	Fingerprints []string `toml:"fingerprints"`

	res []*regexp.Regexp
}

func (a *Allowlist) compile() error {
	switch a.RegexTarget {
	case "", "secret", "match", "line":
	default:
		return fmt.Errorf("regexTarget %q: want secret, match or line", a.RegexTarget)
	}
	for _, p := range a.Paths {
		if !doublestar.ValidatePattern(p) {
			return fmt.Errorf("bad path glob %q", p)
		}
	}
	a.res = a.res[:0]
	for _, s := range a.Regexes {
		re, err := regexp.Compile(s)
		if err != nil {
			return fmt.Errorf("regex %q: %w", s, err)
		}
		a.res = append(a.res, re)
	}
	for i, s := range a.Stopwords {
		a.Stopwords[i] = strings.ToLower(s)
	}
	for _, c := range a.Commits {
		if len(c) < 7 {
			return fmt.Errorf("commit %q: give at least 7 characters", c)
		}
	}
	for _, f := range a.Fingerprints {
		if !strings.HasPrefix(f, "sha256:") || len(f) != 71 {
			return fmt.Errorf("fingerprint %q: want sha256:<64 hex>", f)
		}
	}
	return nil
}

// Content is what a detector knows of a credential when it finds it: its
// parts' raw values, the text of the whole match and of its line.
type Content struct {
	Parts []string
	Match string
	Line  string
}

// AllowsContent reports whether the list allows a credential by what it is
// (regexes, stopwords, fingerprints), whatever its location.
func (a *Allowlist) AllowsContent(c Content) bool {
	secret := strings.Join(c.Parts, ":")
	target := secret
	switch a.RegexTarget {
	case "match":
		target = c.Match
	case "line":
		target = c.Line
	}
	for _, re := range a.res {
		if re.MatchString(target) {
			return true
		}
	}
	if len(a.Stopwords) > 0 {
		low := strings.ToLower(secret)
		for _, w := range a.Stopwords {
			if strings.Contains(low, w) {
				return true
			}
		}
	}
	return len(a.Fingerprints) > 0 && a.hasFingerprint(c.Parts)
}

func (a *Allowlist) hasFingerprint(parts []string) bool {
	cands := []string{strings.Join(parts, ":")}
	if len(parts) > 1 {
		cands = append(cands, parts...)
	}
	for _, c := range cands {
		sum := sha256.Sum256([]byte(c))
		fp := "sha256:" + hex.EncodeToString(sum[:])
		for _, f := range a.Fingerprints {
			if f == fp {
				return true
			}
		}
	}
	return false
}

// AllowsLocation reports whether the list allows a credential by where it is
// (paths, commits).
func (a *Allowlist) AllowsLocation(path, commit string) bool {
	for _, p := range a.Paths {
		if ok, _ := doublestar.Match(p, path); ok {
			return true
		}
	}
	if commit != "" {
		for _, c := range a.Commits {
			if strings.HasPrefix(commit, c) {
				return true
			}
		}
	}
	return false
}
