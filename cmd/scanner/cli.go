package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// Exit codes.
const (
	exitClean    = 0 // nothing found
	exitFindings = 1 // findings
	exitError    = 2 // the run could not be done
)

const usage = `scanner finds leaked Crisp, Kustomer and HTTP Basic/Bearer credentials.

Usage:
  scanner git [PATH]          every commit on every ref of the repository at PATH (default .)
  scanner git --range A..B    only what the commits in A..B added (a pull request)
  scanner git --staged        only what is staged (a pre-commit hook)
  scanner dir PATH            the files under PATH
  scanner stdin               standard input
  scanner validate            re-check credentials from stdin (id:key or token lines, or a JSON
                              report made with --show-secrets) with their providers
  scanner action [PATH]       the GitHub Action's entry point (reads the workflow event)
  scanner remediate [REPORT]  alert owners and trigger rotation for the live credentials of a report
  scanner remediate --recheck re-validate open incidents (a --show-secrets report); close revoked ones
  scanner incidents           the incident ledger (--format json)
  scanner github --org ORG    every repository of an organisation (also --user, --repo OWNER/NAME),
                              incremental with --state, split with --shard K/N
  scanner report merge A.json B.json ...   join JSON reports (the shards of a sweep) into one
  scanner pre-receive         a server-side hook: reject pushes that add credentials (also
                              scanner git --pre-receive; see docs/server-hooks.md)
  scanner purge-plan REPORT   how to take a report's credentials out of the history (roll them first)
  scanner verify-purged REPORT [REPO]   prove no ref reaches them any more (also git --verify-purged)
  scanner baseline create     scan the history and write what it finds as a baseline
  scanner baseline update     add new findings to the baseline, keeping notes (--prune)
  scanner rules list          the rules in force (--config FILE adds yours)
  scanner rules test [FILE]   run the examples of the rules in FILE (or the built-in ones)
  scanner version             the version

gitleaks command lines work too: detect [--no-git], protect --staged, -f, -r,
-c, -b, -v, --exit-code, --log-opts A..B and .gitleaks.toml, .gitleaksignore
(see docs/gitleaks.md).

Add --validate to any scan to check each credential live (live, invalid, unknown),
and --remediate to act on live ones (--dry-run to see the plan).
A .scanner.toml and a .scanner-baseline.json at the root of the scanned tree
are used when present; in --range runs they are read from the base commit.

Run "scanner COMMAND -h" for a command's flags.

Exit status: 0 nothing found, 1 findings (with --fail-on live: live or unknown
credentials; --exit-code changes it), 2 the scan could not be done, 3 (github)
some repository could not be swept, 130 interrupted (the report written holds
what was found so far).
`

// The usage of the commands that take a subcommand.
const (
	baselineUsage = `Usage:
  scanner baseline create [flags] [PATH]   scan the history and write what it finds as a baseline
  scanner baseline update [flags] [PATH]   add new findings to the baseline, keeping notes (--prune)

Run "scanner baseline create -h" for the flags.
`
	rulesUsage = `Usage:
  scanner rules list [--config FILE]   the rules in force
  scanner rules test [FILE]            run the examples of the rules in FILE (or the built-in ones)
`
	reportUsage = `Usage:
  scanner report merge [flags] A.json B.json ...   join JSON reports (the shards of a sweep) into one

Run "scanner report merge -h" for the flags.
`
)

// version is set at build time with -ldflags "-X main.version=..."; else
// the build info says it: the module version "go install ...@v1.2.3"
// embeds, or the VCS revision a build from a checkout records.
var version = ""

func toolVersion() string {
	if version != "" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	return buildVersion(bi)
}

// buildVersion is the version the build info gives: the module version,
// else "devel+" and the revision (with "-dirty" for a modified tree).
func buildVersion(bi *debug.BuildInfo) string {
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if modified == "true" {
		rev += "-dirty"
	}
	return "devel+" + rev
}

// env is what a command needs from its surroundings.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// usageError is a mistake in the command line: exit 2 with the message.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError
	}
	var err error
	code := exitClean
	switch args[0] {
	case "git":
		if fn, rest, ok := gitMode(args[1:]); ok {
			code, err = fn(ctx, rest, e)
		} else {
			code, err = runGit(ctx, args[1:], e)
		}
	case "pre-receive":
		code, err = runPreReceive(ctx, args[1:], e)
	case "purge-plan":
		code, err = runPurgePlan(ctx, args[1:], e)
	case "verify-purged":
		code, err = runVerifyPurged(ctx, args[1:], e)
	case "dir":
		code, err = runDir(ctx, args[1:], e)
	case "stdin":
		code, err = runStdin(ctx, args[1:], e)
	case "validate":
		code, err = runValidate(ctx, args[1:], e)
	case "baseline":
		code, err = runBaseline(ctx, args[1:], e)
	case "rules":
		code, err = runRules(ctx, args[1:], e)
	case "remediate":
		code, err = runRemediate(ctx, args[1:], e)
	case "incidents":
		code, err = runIncidents(ctx, args[1:], e)
	case "action":
		code, err = runAction(ctx, args[1:], e)
	case "github":
		code, err = runGitHub(ctx, args[1:], e)
	case "report":
		code, err = runReport(ctx, args[1:], e)
	case "detect", "protect":
		code, err = runGitleaksCommand(ctx, args[0], args[1:], e)
	case "version", "--version":
		fmt.Fprintln(stdout, "scanner", toolVersion())
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		err = usageError{fmt.Sprintf("unknown command %q", args[0])}
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitClean
	}
	if err != nil {
		fmt.Fprintf(stderr, "scanner: %s\n", oneLine(err.Error()))
		return exitError
	}
	return code
}

// flagError prints the usage for -h (on stdout: help is the output asked
// for) and turns any other parse error into one line that says where help is.
func flagError(fs *flag.FlagSet, err error) error {
	if errors.Is(err, flag.ErrHelp) {
		if u, ok := usages.Load(fs); ok {
			u.(func())()
		}
		return err
	}
	return usageError{fmt.Sprintf("%s: %s; run 'scanner %s -h'", fs.Name(), err, fs.Name())}
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "--help" || arg == "-help" || arg == "help"
}

// oneLine keeps an error message on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

// parseArgs parses flags wherever they stand among the positional arguments
// ("scanner git . --report-format json" and "scanner git --report-format
// json ." alike) and returns the positional ones.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, flagError(fs, err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
