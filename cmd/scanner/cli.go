package main

import (
	"context"
	_ "embed"
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

// The usage texts: of the program, and of the commands that take a
// subcommand.
var (
	//go:embed usage.txt
	usage string
	//go:embed usage_baseline.txt
	baselineUsage string
	//go:embed usage_rules.txt
	rulesUsage string
	//go:embed usage_report.txt
	reportUsage string
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
