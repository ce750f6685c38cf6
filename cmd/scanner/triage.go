package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/report"
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

// loadBaselines reads the baselines the run applies: --baseline, else the
// tree's own (from the base commit in range runs).
func (t *triageOptions) loadBaselines(ctx context.Context, tree pipeline.Tree) ([]pipeline.Baseline, error) {
	if t.noBaseline {
		return nil, nil
	}
	data, name, _, err := tree.Read(ctx, t.baselinePath, repoBaselineName, "baseline")
	if err != nil || data == nil {
		return nil, err
	}
	b, err := report.ReadBaseline(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return []pipeline.Baseline{b}, nil
}

// rangeBase returns the base revision of "BASE..HEAD" or "BASE...HEAD".
func rangeBase(spec string) string {
	base, _, _ := strings.Cut(spec, "..")
	return base
}
