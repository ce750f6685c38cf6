package scanconfig

import (
	"flag"

	"github.com/scanner-dev/scanner/cliflag"
)

// Bind binds the flags every scanning command takes into o: --config and
// --baseline, with gitleaks' spellings (-c, -b, --baseline-path), and
// --enable-rule.
func (o *Options) Bind(fs *flag.FlagSet) {
	fs.StringVar(&o.Config, "config", "", "TOML configuration: extra rules, overrides, allowlists")
	fs.StringVar(&o.Config, "c", "", "short for --config")
	fs.StringVar(&o.Baseline, "baseline", "", "suppress the findings this baseline (or earlier JSON report) lists (default: "+BaselineName+" at the root, if any)")
	fs.StringVar(&o.Baseline, "b", "", "short for --baseline-path")
	fs.StringVar(&o.Baseline, "baseline-path", "", "same as --baseline (a gitleaks JSON report works too)")
	fs.Var((*cliflag.StringList)(&o.EnableRules), "enable-rule", "run only this rule `ID` (repeatable)")
}
