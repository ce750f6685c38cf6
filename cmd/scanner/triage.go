package main

import (
	"flag"

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
