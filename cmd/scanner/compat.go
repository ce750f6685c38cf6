package main

import (
	"context"
	"flag"

	"github.com/scanner-dev/scanner/cliflag"
)

// bindCompat binds the flags that carry gitleaks' spellings and meanings,
// so that a gitleaks command line runs unchanged (see docs/gitleaks.md).
// The long names of ours stay the documented ones; these are aliases or
// additions: -l is the same variable as --log-level (report.Settings.Bind
// binds -f and -r, scanconfig.Options.Bind -c and -b, pipeline.Watch.Bind
// -v and --timeout, source.Settings.Bind --max-target-megabytes).
func (o *scanOptions) bindCompat(fs *flag.FlagSet) {
	fs.StringVar(&o.log.Level, "l", "info", "short for --log-level")
	fs.IntVar(&o.leakExit, "exit-code", exitFindings, "exit status when findings are reported")
	fs.Var(cliflag.Redact{}, "redact", "accepted for gitleaks command lines: values are always redacted unless --show-secrets")
	fs.Bool("no-banner", false, "accepted for gitleaks command lines: there is no banner")
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
