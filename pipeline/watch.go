package pipeline

import (
	"context"
	"flag"
	"fmt"

	"github.com/scanner-dev/scanner/cliflag"
)

// Bind binds the flags of what a scanning command shows and bounds into w,
// with gitleaks' -v and --timeout.
func (w *Watch) Bind(fs *flag.FlagSet) {
	fs.BoolVar(&w.NoProgress, "no-progress", false, "no progress line on stderr (shown only on a terminal, after half a second)")
	fs.BoolVar(&w.Explain, "explain", false, "on stderr, say why: each Crisp identifier/key pair weighed (structure, labels, score terms, decision) and each suppressed finding (rule, path, reason); always redacted")
	fs.BoolVar(&w.Verbose, "verbose", false, "print each finding on stderr as it is found (before validation)")
	fs.BoolVar(&w.Verbose, "v", false, "short for --verbose")
	fs.Var(cliflag.Seconds{D: &w.Timeout}, "timeout", "stop reading after this long (seconds, or a duration such as 10m; 0: no limit) and report what was found")
}

// Incomplete says why res holds only the findings read so far ("" when it
// is complete): the run was interrupted (ctx is done), or else its Timeout
// ran out.
func (w Watch) Incomplete(ctx context.Context, res *Result) (why string, interrupted bool) {
	switch {
	case !res.Stats.Incomplete:
		return "", false
	case ctx.Err() != nil:
		return "interrupted", true
	}
	return fmt.Sprintf("timed out after %s", w.Timeout), false
}
