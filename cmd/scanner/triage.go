package main

import (
	"flag"
	"strings"

	"github.com/scanner-dev/scanner/scanconfig"
)

// triageOptions are the flags that decide what is hidden.
type triageOptions struct {
	baselinePath    string
	inlineAllowLive bool
	noBaseline      bool // load none (baseline create)
}

func (t *triageOptions) bind(fs *flag.FlagSet) {
	fs.StringVar(&t.baselinePath, "baseline", "", "suppress the findings this baseline (or earlier JSON report) lists (default: "+scanconfig.BaselineName+" at the root, if any)")
	fs.BoolVar(&t.inlineAllowLive, "inline-allow-live", false, "let a scanner:allow comment hide a credential that validates live (by default a live one is still reported)")
}

// rangeBase returns the base revision of "BASE..HEAD" or "BASE...HEAD".
func rangeBase(spec string) string {
	base, _, _ := strings.Cut(spec, "..")
	return base
}
