package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/scanner-dev/scanner/buildinfo"
	"github.com/scanner-dev/scanner/report"
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
// the build info says it (see buildinfo).
var version = ""

func toolVersion() string { return buildinfo.Version(version) }

// tool names the scanner in its reports.
func tool() report.Tool { return report.Tool{Name: "scanner", Version: toolVersion()} }

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

// oneLine keeps an error message on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}
