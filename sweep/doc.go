// Package sweep finds the repositories of a GitHub organisation or user and
// keeps a local mirror of each for scanning: listing through the GitHub API
// with pagination, filters and shards (list.go, shard.go), a client that
// waits out rate limits (client.go), a cache of bare mirrors kept up to date
// with the git CLI (mirror.go), the state of what earlier sweeps scanned and
// with which rules (state.go), and the Sweeper that runs several
// repositories at once and accounts for each (run.go, coverage.go: scanned,
// unchanged, skipped with a reason, or failed).
//
// Run is the org sweep of "scanner github" (org.go): it checks the
// command's Config, lists, sweeps, logs each repository (or shows the
// progress bar on a terminal), and merges the repositories' pipeline
// results into one, each finding naming its repository, with the coverage
// list and the count of failures; Swept.Save writes the state once the
// caller has reported the result.
//
// It yields repositories; it does not scan them: the Sweeper hands each
// mirror to a callback (Run's Scan, which cmd/scanner fills with
// pipeline.RunHistory). It must not import the detect, validate, remediate
// or source stages: cmd/scanner wires them; it uses pipeline's Result and
// report's Repository (Coverage) as types. Its goroutines stay inside: the
// Sweeper's Done callback is never called concurrently.
// The GitHub token never appears in a clone URL on disk, on a command line
// or in a log line: git receives it as an Authorization header through
// GIT_CONFIG_* environment variables, and only for the API's own host.
package sweep
