package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/rules"
)

// The files a scanned tree may hold to configure its own scan.
const (
	repoConfigName   = ".scanner.toml"
	repoBaselineName = ".scanner-baseline.json"
)

// triageOptions are the flags that decide what is hidden.
type triageOptions struct {
	baselinePath    string
	inlineAllowLive bool
	noBaseline      bool // load none (baseline create)
}

func (t *triageOptions) bind(fs *flag.FlagSet) {
	fs.StringVar(&t.baselinePath, "baseline", "", "suppress the findings this baseline (or earlier JSON report) lists (default: "+repoBaselineName+" at the root, if any)")
	fs.BoolVar(&t.inlineAllowLive, "inline-allow-live", false, "let a scanner:allow comment hide a credential that validates live (by default a live one is still reported)")
}

// loadBaselines reads the baselines the run applies: --baseline (ours, an
// earlier JSON report, or a gitleaks JSON report), else the tree's own, and
// the tree's .gitleaksignore (from the base commit in range runs).
func (t *triageOptions) loadBaselines(ctx context.Context, tree pipeline.Tree, set *rules.Set) ([]pipeline.Baseline, error) {
	if t.noBaseline {
		return nil, nil
	}
	var out []pipeline.Baseline
	data, name, _, err := tree.Read(ctx, t.baselinePath, repoBaselineName, "baseline")
	if err != nil {
		return nil, err
	}
	if data != nil {
		b, err := readBaseline(data, set)
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
		tree.Log.Warn().Str("file", name).Msg(w)
	}
	return append(out, gitleaksIgnore{ign}), nil
}

// readBaseline reads our baseline, an earlier JSON report, or a gitleaks
// report.
func readBaseline(data []byte, set *rules.Set) (pipeline.Baseline, error) {
	if report.IsGitleaksReport(data) {
		g, err := report.ReadGitleaksBaseline(bytes.NewReader(data), set.RuleIDs())
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

// rangeBase returns the base revision of "BASE..HEAD" or "BASE...HEAD".
func rangeBase(spec string) string {
	base, _, _ := strings.Cut(spec, "..")
	return base
}
