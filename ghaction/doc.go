// Package ghaction is the GitHub Actions side of the scanner: it reads the
// event that started a workflow run and decides what part of the history to
// scan (Plan), asks for the commits a shallow checkout lacks (through the
// Fetcher the caller implements), and turns a finished report into what a
// workflow shows: annotations on the lines, a step summary, step outputs and
// one pull-request comment that later runs update.
//
// A step runs in two calls around the scan: Env.Start checks the operands
// (the event picks the range; raw credentials are never shown), reads the
// plan, stops workflow commands and prepares the checkout; Step.Deliver
// publishes the report and only then, unless the scan was interrupted,
// remediates (the caller's callback) and comments, each failure a warning.
//
// It owns the escaping rules of workflow commands and the format of
// $GITHUB_OUTPUT. It imports finding and report (and go-github and ghapi
// for the comment), never a stage package that scans: the scan itself is
// wired by cmd/scanner. Nothing it writes holds a raw credential: only
// finding.Secret's redacted form is ever rendered.
package ghaction
