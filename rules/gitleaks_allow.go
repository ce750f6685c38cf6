package rules

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/scanner-dev/scanner/finding"
)

// gitleaksPost is the part of a gitleaks allowlist that needs a placed
// finding: its paths (regular expressions) and commits, or the whole list
// when its condition is AND.
type gitleaksPost struct {
	rules     map[string]bool // the rules it applies to; nil: every rule
	and       bool
	commits   map[string]bool // lowercase commit ids, matched exactly as gitleaks does
	paths     []*regexp.Regexp
	regexes   []*regexp.Regexp // AND lists only: tested against the secret
	stopwords []string         // AND lists only, lowercase
}

// allowlist translates a gitleaks allowlist that applies to rules (nil:
// every rule). It returns the part the detector applies (nil if none) and
// keeps the part that needs a placed finding.
func (g *Gitleaks) allowlist(where string, a glAllowlist, rules []string) (*Allowlist, error) {
	and, err := glCondition(a.Condition)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	switch a.RegexTarget {
	case "", "secret", "match", "line":
	default:
		return nil, fmt.Errorf("%s: unknown regexTarget %q (want secret, match or line)", where, a.RegexTarget)
	}
	if len(a.Commits)+len(a.Paths)+len(a.Regexes)+len(a.StopWords) == 0 {
		return nil, fmt.Errorf("%s: must hold at least one of commits, paths, regexes or stopwords (gitleaks refuses it too)", where)
	}
	post := gitleaksPost{and: and}
	if rules != nil {
		post.rules = map[string]bool{}
		for _, id := range rules {
			post.rules[id] = true
		}
	}
	if err := post.compile(a); err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	location := len(a.Commits)+len(a.Paths) > 0
	content := len(a.Regexes)+len(a.StopWords) > 0
	both := len(a.Regexes) > 0 && len(a.StopWords) > 0
	switch {
	case !and || (!location && !both):
		// OR, or AND with one kind of check: the detector applies the
		// content part, Triage the location part.
		if location {
			post.and, post.regexes, post.stopwords = false, nil, nil
			g.lists = append(g.lists, post)
		}
		if !content {
			return nil, nil
		}
		return &Allowlist{Description: a.Description, Regexes: a.Regexes, RegexTarget: a.RegexTarget,
			Stopwords: append([]string(nil), a.StopWords...)}, nil
	case len(a.Regexes) > 0 && a.RegexTarget != "" && a.RegexTarget != "secret":
		g.warn("%s: condition AND with regexTarget %q on a path or commit is not supported; this allowlist is ignored (its findings are reported)",
			where, a.RegexTarget)
		return nil, nil
	default:
		g.lists = append(g.lists, post)
		return nil, nil
	}
}

func glCondition(c string) (and bool, err error) {
	switch strings.ToUpper(strings.TrimSpace(c)) {
	case "", "OR", "||":
		return false, nil
	case "AND", "&&":
		return true, nil
	}
	return false, fmt.Errorf("unknown condition %q (want AND or OR)", c)
}

func (p *gitleaksPost) compile(a glAllowlist) error {
	if len(a.Commits) > 0 {
		p.commits = map[string]bool{}
		for _, c := range a.Commits {
			p.commits[strings.ToLower(strings.TrimSpace(c))] = true
		}
	}
	for _, s := range a.Paths {
		re, err := regexp.Compile(s)
		if err != nil {
			return fmt.Errorf("path %q is not a regular expression: %s", s, oneLineErr(err))
		}
		p.paths = append(p.paths, re)
	}
	for _, s := range a.Regexes {
		re, err := regexp.Compile(s)
		if err != nil {
			return fmt.Errorf("regex %q: %s", s, oneLineErr(err))
		}
		p.regexes = append(p.regexes, re)
	}
	for _, w := range a.StopWords {
		p.stopwords = append(p.stopwords, strings.ToLower(w))
	}
	return nil
}

// allows applies the list to a placed finding, as gitleaks applies it: with
// OR, a commit or a path allows it; with AND, every kind of check the list
// has must pass.
func (p *gitleaksPost) allows(f *finding.Finding) bool {
	if p.rules != nil && !p.rules[f.RuleID] {
		return false
	}
	commit := f.Commit != "" && p.commits[strings.ToLower(f.Commit)]
	pathOK := p.pathAllowed(f.Path)
	if !p.and {
		return commit || pathOK
	}
	if (len(p.commits) > 0 && !commit) || (len(p.paths) > 0 && !pathOK) {
		return false
	}
	if len(p.regexes) == 0 && len(p.stopwords) == 0 {
		return true
	}
	secret := secretOf(f)
	return (len(p.regexes) == 0 || anyMatch(p.regexes, secret)) &&
		(len(p.stopwords) == 0 || hasStopword(p.stopwords, secret))
}

func (p *gitleaksPost) pathAllowed(path string) bool {
	if path == "" {
		return false
	}
	if anyMatch(p.paths, path) {
		return true
	}
	// gitleaks also tries the Windows form of a path on Windows
	if win := filepath.FromSlash(path); win != path {
		return anyMatch(p.paths, win)
	}
	return false
}

func secretOf(f *finding.Finding) string {
	raw := make([]string, len(f.Parts))
	for i, p := range f.Parts {
		raw[i] = p.Value.Reveal()
	}
	return strings.Join(raw, ":")
}

func anyMatch(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

func hasStopword(words []string, secret string) bool {
	low := strings.ToLower(secret)
	for _, w := range words {
		if strings.Contains(low, w) {
			return true
		}
	}
	return false
}

// IsGitleaksConfig reports whether a configuration file is a gitleaks one,
// to be read with LoadGitleaks rather than ParseConfig. The two formats
// share most keys; they differ in what allowlist paths mean (regular
// expressions in gitleaks, globs here). A file is a gitleaks one when its
// name says so (.gitleaks.toml, gitleaks.toml...), or when it uses a key
// only gitleaks has (tags, a rule's path, targetRules, condition, [extend]
// path, a top-level description, minVersion, skipReport, required), or when its allowlist paths are
// regular expressions, not globs. A file with a key only this scanner has
// (detector, provider, severity, parts, examples, check, fingerprints) is
// ours. A file that fits both reads the same either way, and is ours.
func IsGitleaksConfig(name string, data []byte) bool {
	if strings.Contains(strings.ToLower(filepath.Base(name)), "gitleaks") {
		return true
	}
	var m map[string]any
	if _, err := toml.Decode(string(data), &m); err != nil {
		return false
	}
	keys, paths := map[string]bool{}, []string{}
	collectKeys(m, "", keys, &paths)
	for _, k := range []string{"rules.detector", "rules.provider", "rules.severity", "rules.parts",
		"rules.examples", "rules.check", "rules.generic", "allowlists.fingerprints", "allowlist.fingerprints",
		"rules.allowlists.fingerprints"} {
		if keys[k] {
			return false
		}
	}
	for _, k := range []string{"rules.tags", "rules.path", "rules.required", "rules.skipreport", "rules.allowlist",
		"allowlists.targetrules", "allowlists.condition", "allowlist.condition", "rules.allowlists.condition",
		"extend.path", "extend.url", "minversion", "description"} {
		if keys[k] {
			return true
		}
	}
	for _, p := range paths {
		if looksLikeRegex(p) {
			return true
		}
	}
	return false
}

// collectKeys records every key path of a decoded TOML document, lowercase
// and without array indices, and the allowlist paths it holds.
func collectKeys(v any, prefix string, keys map[string]bool, paths *[]string) {
	switch t := v.(type) {
	case map[string]any:
		for k, sub := range t {
			key := strings.ToLower(k)
			if prefix != "" {
				key = prefix + "." + key
			}
			keys[key] = true
			if strings.HasSuffix(key, "allowlist.paths") || strings.HasSuffix(key, "allowlists.paths") {
				if list, ok := sub.([]any); ok {
					for _, p := range list {
						if s, ok := p.(string); ok {
							*paths = append(*paths, s)
						}
					}
				}
			}
			collectKeys(sub, key, keys, paths)
		}
	case []map[string]any:
		for _, sub := range t {
			collectKeys(sub, prefix, keys, paths)
		}
	case []any:
		for _, sub := range t {
			collectKeys(sub, prefix, keys, paths)
		}
	}
}

// looksLikeRegex reports whether an allowlist path reads as a regular
// expression and not as a glob: it uses regex syntax (anchors, escapes,
// groups, alternation, ".*") and no glob-only syntax ("**", a "*" that
// follows no ".", ")" or "]").
func looksLikeRegex(p string) bool {
	if strings.Contains(p, "**") {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] == '*' && (i == 0 || !strings.ContainsRune(".)]", rune(p[i-1]))) {
			return false
		}
	}
	return strings.ContainsAny(p, `^$\()|+`) || strings.Contains(p, ".*")
}
