package rules

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/scanner-dev/scanner/finding"
)

// Gitleaks is a gitleaks configuration (.gitleaks.toml, GITLEAKS_CONFIG)
// read with gitleaks' meaning, which differs from ours in one way that
// matters: allowlist paths are regular expressions there, globs here.
//
// What the detector can apply (custom rules, allowlist regexes and
// stopwords) goes into Set. What needs a placed finding (allowlist paths and
// commits, condition = "AND" lists, a rule's path) stays here and is applied
// by Triage. What has no meaning here is named once in Warnings.
type Gitleaks struct {
	// Set holds the scanner's own rules (they stand in for gitleaks' default
	// rules, which this scanner does not have), the file's custom rules, and
	// the allowlists the detector applies.
	Set *Set
	// Warnings says, one line each, what of the file is ignored or read
	// differently.
	Warnings []string

	lists     []gitleaksPost            // allowlists applied to placed findings
	rulePaths map[string]*regexp.Regexp // rule id -> the paths it applies to
}

// GitleaksOptions says how to read a gitleaks configuration.
type GitleaksOptions struct {
	// ReadFile reads the file an [extend] path names, the path as written
	// (gitleaks resolves it from the directory it runs in). The caller
	// decides what may be read. Nil: an [extend] path is an error.
	ReadFile func(path string) ([]byte, error)
}

// The shapes of a gitleaks v8 configuration. Keys match case-insensitively,
// as gitleaks' own reader (viper) matches them.
type glFile struct {
	Title       string        `toml:"title"`
	Description string        `toml:"description"`
	MinVersion  string        `toml:"minVersion"`
	Extend      glExtend      `toml:"extend"`
	Rules       []glRule      `toml:"rules"`
	Allowlist   *glAllowlist  `toml:"allowlist"` // before v8.25
	Allowlists  []glAllowlist `toml:"allowlists"`
}

type glExtend struct {
	Path          string   `toml:"path"`
	URL           string   `toml:"url"`
	UseDefault    bool     `toml:"useDefault"`
	DisabledRules []string `toml:"disabledRules"`
}

type glRule struct {
	ID          string        `toml:"id"`
	Description string        `toml:"description"`
	Path        string        `toml:"path"`
	Regex       string        `toml:"regex"`
	SecretGroup int           `toml:"secretGroup"`
	Entropy     float64       `toml:"entropy"`
	Keywords    []string      `toml:"keywords"`
	Tags        []string      `toml:"tags"`
	Allowlist   *glAllowlist  `toml:"allowlist"`
	Allowlists  []glAllowlist `toml:"allowlists"`
	Required    []struct {
		ID            string `toml:"id"`
		WithinLines   *int   `toml:"withinLines"`
		WithinColumns *int   `toml:"withinColumns"`
	} `toml:"required"`
	SkipReport bool `toml:"skipReport"`
}

type glAllowlist struct {
	Description string   `toml:"description"`
	Condition   string   `toml:"condition"`
	Commits     []string `toml:"commits"`
	Paths       []string `toml:"paths"`
	RegexTarget string   `toml:"regexTarget"`
	Regexes     []string `toml:"regexes"`
	StopWords   []string `toml:"stopwords"`
	TargetRules []string `toml:"targetRules"`
}

// maxExtendDepth is how many [extend] paths gitleaks follows.
const maxExtendDepth = 2

// LoadGitleaks reads a gitleaks configuration. name is used in messages.
// The scanner's own rules are always in the set (list their ids in [extend]
// disabledRules to turn them off); the file's rules are added, or merged
// over a rule of the same id as gitleaks merges over its defaults.
func LoadGitleaks(name string, data []byte, opts GitleaksOptions) (*Gitleaks, error) {
	g := &Gitleaks{rulePaths: map[string]*regexp.Regexp{}}
	chain, err := g.readChain(name, data, opts)
	if err != nil {
		return nil, err
	}
	s, err := Default()
	if err != nil {
		return nil, err
	}
	g.Set = s
	builtin := make([]string, len(s.Rules))
	for i, r := range s.Rules {
		builtin[i] = r.ID
	}
	var targeted []glTargeted
	for i := len(chain) - 1; i >= 0; i-- { // the deepest extended file first
		t, err := g.addFile(chain[i])
		if err != nil {
			return nil, err
		}
		targeted = append(targeted, t...)
	}
	if err := g.addTargeted(name, targeted); err != nil {
		return nil, err
	}
	g.warnNoExtend(name, chain[0].f, builtin)
	return g, nil
}

type glNamed struct {
	name string
	f    *glFile
}

// glTargeted is a global allowlist that names the rules it applies to.
type glTargeted struct {
	name string
	list glAllowlist
}

// readChain reads the file and the files its [extend] paths name, the top
// file first.
func (g *Gitleaks) readChain(name string, data []byte, opts GitleaksOptions) ([]glNamed, error) {
	var chain []glNamed
	for depth := 0; ; depth++ {
		f, err := g.decode(name, data)
		if err != nil {
			return nil, err
		}
		chain = append(chain, glNamed{name, f})
		if f.Extend.URL != "" {
			g.warn("%s: [extend] url is not supported (gitleaks does not implement it either); ignored", name)
		}
		if f.Extend.Path == "" {
			return chain, nil
		}
		if f.Extend.UseDefault {
			return nil, fmt.Errorf("%s: [extend] path and useDefault cannot both be set (gitleaks refuses it too)", name)
		}
		if depth == maxExtendDepth {
			g.warn("%s: [extend] path %s is past gitleaks' depth of %d; not read", name, f.Extend.Path, maxExtendDepth)
			return chain, nil
		}
		if opts.ReadFile == nil {
			return nil, fmt.Errorf("%s: [extend] path %s: extended configurations cannot be read here", name, f.Extend.Path)
		}
		next, err := opts.ReadFile(f.Extend.Path)
		if err != nil {
			return nil, fmt.Errorf("%s: [extend] path: %w", name, err)
		}
		name, data = f.Extend.Path, next
	}
}

// decode parses one gitleaks file; keys gitleaks does not know are warnings
// (gitleaks ignores them silently).
func (g *Gitleaks) decode(name string, data []byte) (*glFile, error) {
	var f glFile
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return nil, fmt.Errorf("%s: line %d: %s", name, perr.Position.Line, perr.Message)
		}
		return nil, fmt.Errorf("%s: %s", name, oneLineErr(err))
	}
	seen := map[string]bool{}
	var keys []string
	for _, k := range md.Undecoded() {
		if s := k.String(); !seen[s] {
			seen[s] = true
			keys = append(keys, s)
		}
	}
	if len(keys) > 0 {
		g.warn("%s: not gitleaks settings, ignored: %s", name, strings.Join(keys, ", "))
	}
	if f.Allowlist != nil {
		if len(f.Allowlists) > 0 {
			return nil, fmt.Errorf("%s: [allowlist] cannot be used alongside [[allowlists]] (gitleaks refuses it too)", name)
		}
		f.Allowlists = []glAllowlist{*f.Allowlist}
	}
	for i := range f.Rules {
		r := &f.Rules[i]
		if r.Allowlist != nil {
			if len(r.Allowlists) > 0 {
				return nil, fmt.Errorf("%s: rule %s: [rules.allowlist] cannot be used alongside [[rules.allowlists]]", name, r.ID)
			}
			r.Allowlists = []glAllowlist{*r.Allowlist}
		}
	}
	return &f, nil
}

// oneLineErr keeps a decoder's message on one line.
func oneLineErr(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

func (g *Gitleaks) warn(format string, args ...any) {
	g.Warnings = append(g.Warnings, fmt.Sprintf(format, args...))
}

// addFile disables the rules the file's [extend] disables, then adds its
// rules and global allowlists. It returns the allowlists that target rules.
func (g *Gitleaks) addFile(n glNamed) ([]glTargeted, error) {
	var missing []string
	for _, id := range n.f.Extend.DisabledRules {
		if g.Set.index(id) < 0 {
			missing = append(missing, id)
			continue
		}
		if err := g.Set.disable(n.name, []string{id}); err != nil {
			return nil, err
		}
		delete(g.rulePaths, id)
	}
	if len(missing) > 0 {
		g.warn("%s: disabledRules: no rule %s here (gitleaks' built-in rules are not part of this scanner); ignored",
			n.name, strings.Join(missing, ", "))
	}
	var add file
	for _, r := range n.f.Rules {
		rule, ok, err := g.rule(n.name, r)
		if err != nil {
			return nil, err
		}
		if ok {
			add.Rules = append(add.Rules, rule)
		}
	}
	var targeted []glTargeted
	for i, a := range n.f.Allowlists {
		where := fmt.Sprintf("%s: allowlist %d", n.name, i+1)
		if len(a.TargetRules) > 0 {
			targeted = append(targeted, glTargeted{where, a})
			continue
		}
		content, err := g.allowlist(where, a, nil)
		if err != nil {
			return nil, err
		}
		if content != nil {
			add.Allowlists = append(add.Allowlists, *content)
		}
	}
	return targeted, g.Set.add(&add, n.name, true)
}

// rule translates a gitleaks rule. ok is false for a rule that cannot be
// expressed here (a warning says so).
func (g *Gitleaks) rule(name string, r glRule) (Rule, bool, error) {
	if strings.TrimSpace(r.ID) == "" {
		return Rule{}, false, fmt.Errorf("%s: a rule has no id", name)
	}
	where := fmt.Sprintf("%s: rule %s", name, r.ID)
	if r.SkipReport {
		g.warn("%s: skipReport rules exist for composite rules, which are not supported; ignored", where)
		return Rule{}, false, nil
	}
	if len(r.Required) > 0 {
		g.warn("%s: [[rules.required]] is not supported; the rule reports without its required companions", where)
	}
	if r.Regex == "" && g.Set.index(r.ID) < 0 {
		if r.Path != "" {
			g.warn("%s: a rule that matches file paths alone is not supported; ignored", where)
		} else {
			g.warn("%s: has no regex and adds to a gitleaks built-in rule, which this scanner does not have; ignored", where)
		}
		return Rule{}, false, nil
	}
	if r.Path != "" {
		re, err := regexp.Compile(r.Path)
		if err != nil {
			return Rule{}, false, fmt.Errorf("%s: path: %s", where, oneLineErr(err))
		}
		g.rulePaths[r.ID] = re
	}
	out := Rule{ID: r.ID, Description: r.Description, Regex: r.Regex, SecretGroup: r.SecretGroup,
		Entropy: r.Entropy, Keywords: r.Keywords}
	if base := g.Set.Rule(r.ID); base != nil && len(r.Keywords) > 0 {
		// gitleaks adds an override's keywords to the rule's own
		out.Keywords = append(append([]string(nil), base.Keywords...), r.Keywords...)
	}
	for i, a := range r.Allowlists {
		if len(a.TargetRules) > 0 {
			g.warn("%s: allowlist %d: targetRules belongs to global [[allowlists]]; ignored here", where, i+1)
		}
		content, err := g.allowlist(fmt.Sprintf("%s: allowlist %d", where, i+1), a, []string{r.ID})
		if err != nil {
			return Rule{}, false, err
		}
		if content != nil {
			out.Allowlists = append(out.Allowlists, *content)
		}
	}
	return out, true, nil
}

// addTargeted adds the global allowlists that name their rules, once every
// file's rules are in (as gitleaks checks the targets after extending).
func (g *Gitleaks) addTargeted(name string, targeted []glTargeted) error {
	for _, t := range targeted {
		var ids, missing []string
		for _, id := range t.list.TargetRules {
			if g.Set.index(id) < 0 {
				missing = append(missing, id)
			} else {
				ids = append(ids, id)
			}
		}
		if len(missing) > 0 {
			g.warn("%s: targetRules: no rule %s here (gitleaks' built-in rules are not part of this scanner); that part is ignored",
				t.name, strings.Join(missing, ", "))
		}
		if len(ids) == 0 {
			continue
		}
		content, err := g.allowlist(t.name, t.list, ids)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if content == nil {
				continue
			}
			r := g.Set.Rule(id)
			r.Allowlists = append(r.Allowlists, *content)
			if err := r.Allowlists[len(r.Allowlists)-1].compile(); err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
		}
	}
	return nil
}

// warnNoExtend says how a file without [extend] reads here: gitleaks would
// run its rules alone, this scanner keeps its own rules too.
func (g *Gitleaks) warnNoExtend(name string, f *glFile, builtin []string) {
	if f.Extend.UseDefault || f.Extend.Path != "" || len(f.Rules) == 0 {
		return
	}
	var own []string
	for _, id := range builtin {
		if r := g.Set.Rule(id); r != nil && r.Origin != name {
			own = append(own, id)
		}
	}
	if len(own) == 0 {
		return
	}
	g.warn("%s: no [extend] useDefault: gitleaks would run this file's rules alone; the scanner's own rules (%s) run too (list them in [extend] disabledRules to turn them off)",
		name, strings.Join(own, ", "))
}

// Triage marks a placed finding as suppressed (finding.SuppressedAllowlist)
// when the configuration's gitleaks allowlists that the detector cannot
// apply allow it (paths, commits, condition = "AND"), or when its rule's
// path does not match the finding's path. It reports whether the finding is
// suppressed. Call it next to the detector's own Triage.
func (g *Gitleaks) Triage(f *finding.Finding) bool {
	if f.Suppressed != "" {
		return true
	}
	if re, ok := g.rulePaths[f.RuleID]; ok && !re.MatchString(f.Path) {
		f.Suppressed = finding.SuppressedAllowlist
		return true
	}
	for i := range g.lists {
		if g.lists[i].allows(f) {
			f.Suppressed = finding.SuppressedAllowlist
			return true
		}
	}
	return false
}

// RuleIDs returns the ids of the rules in the set, in order (for
// report.ParseGitleaksIgnore, which must tell our rule ids from gitleaks').
func (s *Set) RuleIDs() []string {
	ids := make([]string, len(s.Rules))
	for i, r := range s.Rules {
		ids[i] = r.ID
	}
	return ids
}
