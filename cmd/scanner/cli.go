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
	"github.com/scanner-dev/scanner/cliflag"
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

// command runs one command with its arguments and returns the exit status.
type command func(ctx context.Context, args []string, e env) (int, error)

// commands are the commands by name.
var commands = map[string]command{
	"git": runGitOrMode, "pre-receive": runPreReceive, "purge-plan": runPurgePlan, "verify-purged": runVerifyPurged,
	"dir": runDir, "stdin": runStdin, "validate": runValidate, "baseline": runBaseline, "rules": runRules,
	"remediate": runRemediate, "incidents": runIncidents, "action": runAction, "github": runGitHub, "report": runReport,
	"detect": gitleaksCommand("detect"), "protect": gitleaksCommand("protect"),
	"version": printVersion, "--version": printVersion, "help": printUsage, "-h": printUsage, "--help": printUsage,
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError
	}
	cmd, ok := commands[args[0]]
	if !ok {
		cmd = func(context.Context, []string, env) (int, error) {
			return exitError, usageError{fmt.Sprintf("unknown command %q", args[0])}
		}
	}
	code, err := cmd(ctx, args[1:], env{stdin: stdin, stdout: stdout, stderr: stderr})
	if errors.Is(err, flag.ErrHelp) {
		return exitClean
	}
	if err != nil {
		fmt.Fprintf(stderr, "scanner: %s\n", oneLine(err.Error()))
		return exitError
	}
	return code
}

// runGitOrMode runs "scanner git", or the command a mode flag names (see
// gitMode).
func runGitOrMode(ctx context.Context, args []string, e env) (int, error) {
	if fn, rest, ok := gitMode(args); ok {
		return fn(ctx, rest, e)
	}
	return runGit(ctx, args, e)
}

func printVersion(_ context.Context, _ []string, e env) (int, error) {
	fmt.Fprintln(e.stdout, "scanner", toolVersion())
	return exitClean, nil
}

func printUsage(_ context.Context, _ []string, e env) (int, error) {
	fmt.Fprint(e.stdout, usage)
	return exitClean, nil
}

// oneLine keeps an error message on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

// gitModes are commands of their own that "scanner git" also takes as a
// flag: "scanner git --pre-receive", "scanner git --verify-purged REPORT".
var gitModes = map[string]command{
	"pre-receive":   runPreReceive,
	"verify-purged": runVerifyPurged,
}

// gitMode finds a gitModes flag among the git command's arguments (before
// any "--") and returns its command and the other arguments; a value given
// as --verify-purged=REPORT comes first among them.
func gitMode(args []string) (command, []string, bool) {
	name, rest, ok := cliflag.FindMode(args, "pre-receive", "verify-purged")
	return gitModes[name], rest, ok
}
