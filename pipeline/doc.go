// Package pipeline owns the lifecycle of a finding between the stages: it runs
// the detector over a source, places what it finds (locates content read in
// bulk from a history, drops credentials a commit merely carried over from the
// content it replaced, keeps each credential once per path at the commit that
// introduced it), triages it (inline allow comments, allowlists, baselines),
// and, when given a validator, validates it, reporting an inline-allowed
// credential after all when it answers live.
//
// It is entered as one call, Run, which returns a Result: the findings to
// report, the suppressed ones each with a typed finding.SuppressReason, and the
// run's Stats. Every scanning command (git, dir, stdin, the Action, the org
// sweep, the pre-receive hook) calls it, so "why was this finding hidden" has
// one answer, here. RunHistory is Run over a repository's history, all of
// it or since some tips (the org sweep's scan of each mirror).
//
// A history is walked to place findings only when some finding needs a place:
// one an allowlist hid by its own content (a placeholder, a documentation
// token) is hidden wherever it is, and is counted unplaced unless the run asks
// for its place (Input.PlaceSuppressed, --explain, debug logs). The detector
// lends a history source its keyword search (source.Prefilter), so that blobs
// whose keyword hits the source derived from their deltas are not searched
// again.
//
// An interrupted read is not an error: the findings read so far are placed and
// returned with Stats.Incomplete set, so that the caller can still write them.
//
// Tree reads the files a scanned tree holds to configure its own scan
// (configuration, baselines, CODEOWNERS): from the base commit in range runs,
// never through a symlink that leads out of the tree.
//
// Load reads a run's configuration through its tree (scanconfig) and builds
// the detector; Scan is Run as a command asks it, with what Watch shows and
// bounds (progress, each finding as found, the explain trace, a timeout;
// Watch.Bind binds their flags, Watch.Incomplete says why a result is cut
// short) and the validator told when the run is done. Result.Report makes
// the report (after Result.DisplayPaths, for a directory scan), and
// ReadCredentials reads credentials given back to be checked again.
//
// The package sits between the stages and the command: it imports source,
// detect, report, scanconfig, progress, cliflag and finding, and declares the small
// interfaces it needs from the others (Baseline, Validator).
package pipeline
