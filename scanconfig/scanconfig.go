package scanconfig

import (
	"bytes"
	"context"
	"fmt"
	iofs "io/fs"
	"path/filepath"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/rules"
)

// The files a scanned tree may hold to configure its own scan.
const (
	ConfigName   = ".scanner.toml"
	BaselineName = ".scanner-baseline.json"
)

// Tree reads a file of the scanned tree: path when given (the user's own
// file), else name at the tree's root (own reports that). No file gives
// nil data and no error. pipeline.Tree implements it.
type Tree interface {
	Read(ctx context.Context, path, name, what string) (data []byte, used string, own bool, err error)
}

// Baseline hides the findings it lists.
type Baseline interface {
	Has(f finding.Finding) bool
}

// Options are what the user asked for.
type Options struct {
	Config         string   // --config
	GitleaksConfig string   // $GITLEAKS_CONFIG
	Baseline       string   // --baseline
	NoBaseline     bool     // load none (baseline create)
	EnableRules    []string // --enable-rule: only these
	Log            zerolog.Logger
}

// Loaded is the configuration of a run.
type Loaded struct {
	Rules *rules.Set
	// Gitleaks is the gitleaks configuration read, if any: its allowlists
	// triage findings (it implements pipeline.Triager).
	Gitleaks  *rules.Gitleaks
	Baselines []Baseline
}

// Load reads the rules and baselines of a run through the tree.
func Load(ctx context.Context, tree Tree, o Options) (*Loaded, error) {
	set, gl, err := loadRules(ctx, tree, o)
	if err != nil {
		return nil, err
	}
	l := &Loaded{Gitleaks: gl}
	if l.Rules, err = OnlyRules(set, o.EnableRules); err != nil {
		return nil, err
	}
	if o.NoBaseline {
		return l, nil
	}
	if l.Baselines, err = loadBaselines(ctx, tree, o, l.Rules); err != nil {
		return nil, err
	}
	return l, nil
}

// loadRules loads --config, else the tree's own .scanner.toml, else a
// gitleaks configuration, else the built-in rules. A gitleaks configuration
// is read with gitleaks' meaning (its allowlist paths are regular
// expressions) and returned with the triage its allowlists add.
func loadRules(ctx context.Context, tree Tree, o Options) (*rules.Set, *rules.Gitleaks, error) {
	data, name, own, err := tree.Read(ctx, o.Config, ConfigName, "config")
	if err != nil {
		return nil, nil, err
	}
	gitleaks := data != nil && rules.IsGitleaksConfig(name, data)
	if data == nil {
		if data, name, own, err = gitleaksConfig(ctx, tree, o); err != nil || data == nil {
			if err == nil {
				set, err := rules.Default()
				return set, nil, err
			}
			return nil, nil, err
		}
		gitleaks = true
	}
	if gitleaks {
		return loadGitleaks(ctx, tree, name, data, o.Log)
	}
	if own {
		set, err := rules.ParseConfig(name, data, rules.Untrusted())
		return set, nil, err
	}
	set, err := rules.ParseConfig(name, data)
	return set, nil, err
}

// gitleaksConfig reads GITLEAKS_CONFIG, else the tree's .gitleaks.toml.
func gitleaksConfig(ctx context.Context, tree Tree, o Options) ([]byte, string, bool, error) {
	if o.GitleaksConfig != "" {
		return tree.Read(ctx, o.GitleaksConfig, "", "GITLEAKS_CONFIG")
	}
	return tree.Read(ctx, "", ".gitleaks.toml", "gitleaks config")
}

// loadGitleaks reads a gitleaks configuration; [extend] path files are read
// through the tree.
func loadGitleaks(ctx context.Context, tree Tree, name string, data []byte, log zerolog.Logger) (*rules.Set, *rules.Gitleaks, error) {
	read := func(path string) ([]byte, error) {
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(name), path)
		}
		b, _, _, err := tree.Read(ctx, path, "", "extended gitleaks config")
		if err == nil && b == nil {
			err = fmt.Errorf("%s: %w", path, iofs.ErrNotExist)
		}
		return b, err
	}
	g, err := rules.LoadGitleaks(name, data, rules.GitleaksOptions{ReadFile: read})
	if err != nil {
		return nil, nil, err
	}
	for _, w := range g.Warnings {
		log.Warn().Str("config", name).Str("warning", w).Msg("gitleaks configuration read with a difference")
	}
	return g.Set, g, nil
}

// OnlyRules keeps the rules ids names (all of them when ids is empty),
// refusing an unknown id.
func OnlyRules(set *rules.Set, ids []string) (*rules.Set, error) {
	if len(ids) == 0 {
		return set, nil
	}
	out := &rules.Set{Allowlists: set.Allowlists}
	for _, id := range ids {
		r := set.Rule(id)
		if r == nil {
			return nil, fmt.Errorf("--enable-rule %q: no such rule (see 'scanner rules list')", id)
		}
		out.Rules = append(out.Rules, r)
	}
	return out, nil
}

// loadBaselines reads --baseline (ours, an earlier JSON report, or a
// gitleaks JSON report), else the tree's own, and the tree's
// .gitleaksignore.
func loadBaselines(ctx context.Context, tree Tree, o Options, set *rules.Set) ([]Baseline, error) {
	var out []Baseline
	data, name, _, err := tree.Read(ctx, o.Baseline, BaselineName, "baseline")
	if err != nil {
		return nil, err
	}
	if data != nil {
		b, err := ReadBaseline(data, set.RuleIDs())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, b)
	}
	data, name, _, err = tree.Read(ctx, "", ".gitleaksignore", ".gitleaksignore")
	if err != nil || data == nil {
		return out, err
	}
	ign, err := report.ParseGitleaksIgnore(bytes.NewReader(data), set.RuleIDs())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for _, w := range ign.Warnings {
		o.Log.Warn().Str("file", name).Msg(w)
	}
	return append(out, gitleaksIgnore{ign}), nil
}

// ReadBaseline reads our baseline, an earlier JSON report, or a gitleaks
// report (whose rule ids are matched against ruleIDs, the rules in force).
func ReadBaseline(data []byte, ruleIDs []string) (Baseline, error) {
	if report.IsGitleaksReport(data) {
		g, err := report.ReadGitleaksBaseline(bytes.NewReader(data), ruleIDs)
		if err != nil {
			return nil, err
		}
		return gitleaksIgnore{g}, nil
	}
	return report.ReadBaseline(bytes.NewReader(data))
}

// gitleaksIgnore is a .gitleaksignore or gitleaks report as a baseline.
type gitleaksIgnore struct{ *report.GitleaksIgnore }

// Has reports whether an entry covers f.
func (g gitleaksIgnore) Has(f finding.Finding) bool { return g.Match(f) }
