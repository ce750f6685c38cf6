package main

import (
	"context"
	"flag"
	"time"

	"github.com/scanner-dev/scanner/cliflag"
)

// compatOptions are the flags that carry gitleaks' spellings and meanings,
// so that a gitleaks command line runs unchanged (see docs/gitleaks.md).
// The long names of ours stay the documented ones; these are aliases or
// additions.
type compatOptions struct {
	verbose  bool
	leakExit int
	timeout  time.Duration
}

// bindCompat binds gitleaks' spellings: -l is the same variable as
// --log-level (report.Settings.Bind binds -f and -r, scanconfig.Options.Bind
// -c and -b).
func (o *scanOptions) bindCompat(fs *flag.FlagSet) {
	c := &o.compat
	fs.StringVar(&o.logLevel, "l", "info", "short for --log-level")
	fs.BoolVar(&c.verbose, "v", false, "short for --verbose")
	fs.BoolVar(&c.verbose, "verbose", false, "print each finding on stderr as it is found (before validation)")
	fs.IntVar(&c.leakExit, "exit-code", exitFindings, "exit status when findings are reported")
	fs.Var(cliflag.Seconds{D: &c.timeout}, "timeout", "stop reading after this long (seconds, or a duration such as 10m; 0: no limit) and report what was found")
	fs.Var(cliflag.Redact{}, "redact", "accepted for gitleaks command lines: values are always redacted unless --show-secrets")
	fs.Bool("no-banner", false, "accepted for gitleaks command lines: there is no banner")
}

// exitFor maps the findings' exit status to --exit-code.
func (c *compatOptions) exitFor(code int) int {
	if code == exitFindings {
		return c.leakExit
	}
	return code
}

// gitleaksCommand is one of gitleaks' older commands with its meaning:
// "detect" scans the history (or, with --no-git, a directory) and "protect"
// scans what is staged.
func gitleaksCommand(name string) command {
	return func(ctx context.Context, args []string, e env) (int, error) {
		switch target, rest := cliflag.GitleaksCommand(name, args); target {
		case "dir":
			return runDir(ctx, rest, e)
		case "stdin":
			return runStdin(ctx, rest, e)
		default:
			return runGit(ctx, rest, e)
		}
	}
}
