package hookpolicy

import (
	"fmt"
	"io"
	"strconv"

	"github.com/scanner-dev/scanner/finding"
)

// SkipOption is the push option (git push -o scanner.skip) that asks the
// pre-receive hook to let a push through; honoured only where allowed.
const SkipOption = "scanner.skip"

// AllowSkipKey is the git configuration of the receiving repository (or
// the server's) that allows SkipOption.
const AllowSkipKey = "scanner.allowSkip"

// PushOptionSet reports whether git passed the push option opt to the hook
// (GIT_PUSH_OPTION_COUNT and GIT_PUSH_OPTION_<n>), read through getenv.
func PushOptionSet(getenv func(string) string, opt string) bool {
	n, err := strconv.Atoi(getenv("GIT_PUSH_OPTION_COUNT"))
	if err != nil {
		return false
	}
	for i := 0; i < n && i < 1000; i++ {
		if getenv("GIT_PUSH_OPTION_"+strconv.Itoa(i)) == opt {
			return true
		}
	}
	return false
}

// Pusher names who pushed, as the server tells its hooks ("unknown" when
// it does not).
func Pusher(getenv func(string) string) string {
	for _, v := range []string{"GL_USERNAME", "GITHUB_USER_LOGIN", "GITEA_PUSHER_NAME", "REMOTE_USER", "USER"} {
		if s := getenv(v); s != "" {
			return s
		}
	}
	return "unknown"
}

// PrintRefusedSkip tells the pusher a skip request is not allowed here.
func PrintRefusedSkip(w io.Writer) {
	fmt.Fprintf(w, "scanner: -o %s is not allowed on this server (git config %s true allows it); scanning the push\n", SkipOption, AllowSkipKey)
}

// PrintBypass says a push was let through unscanned on request, with what
// the scan would have blocked (redacted).
func PrintBypass(w io.Writer, fs []finding.Finding) {
	fmt.Fprintf(w, "scanner: scan bypassed with -o %s (logged); %d credential(s) let through\n", SkipOption, len(fs))
	for _, f := range fs {
		fmt.Fprintln(w, "  "+Line(f))
	}
}

// PrintRejection says why the push is rejected: each credential by path,
// commit, rule and redacted value, and what to do. skipAllowed adds how to
// push anyway.
func PrintRejection(w io.Writer, fs []finding.Finding, skipAllowed bool) {
	fmt.Fprintf(w, "scanner: push rejected: %d credential(s) in the commits this push adds\n", len(fs))
	for _, f := range fs {
		fmt.Fprintln(w, "  "+Line(f))
	}
	fmt.Fprint(w, `  Take the credential out of those commits (amend or rebase them: a later commit that
  deletes it leaves it in history), roll it with its provider if it ever left your
  machine, and push again. A test value: add "scanner:allow" on its line.
`)
	if skipAllowed {
		fmt.Fprintf(w, "  This server lets you push anyway, logged: git push -o %s\n", SkipOption)
	}
}

// Line is one finding of a push: path:line, short commit, rule and the
// redacted value.
func Line(f finding.Finding) string {
	commit := f.Commit
	if len(commit) > 12 {
		commit = commit[:12]
	}
	return fmt.Sprintf("%s:%d  commit %s  %s  %s", f.Path, f.Line, commit, f.RuleID, f.Redacted())
}
