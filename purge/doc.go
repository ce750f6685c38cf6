// Package purge plans the removal of leaked credentials from a repository's
// history and proves afterwards that they are gone.
//
// Rolling the key comes first, always: a value removed from history is still
// in every clone, fork, cache and pull request ref made before. For users who
// also want it out of history, NewPlan takes the findings of a JSON report
// (which carry fingerprints, never values), finds the raw values again in
// the blobs the report names (or in the whole history), and writes them as
// an expressions file for `git filter-repo --replace-text` (mode 0600, never
// on the terminal); Plan.Print gives the exact commands, the paths, commits
// and refs involved, and what a forge still keeps. Verify scans every blob
// any ref reaches and says how many of the fingerprints are still there, and
// where (redacted).
//
// Open and Job are the commands' side of it: read the JSON report, open the
// repository, build the detector of the rules the report was made with
// (scanconfig.ServerRules), then plan (Job.Plan: the expressions file where
// asked, the printed plan) or verify (Job.Verify), with the flags both
// commands share bound into Settings; cmd/scanner only parses the flags and
// maps the outcome to an exit status.
//
// The package sits between the stages, like pipeline: it imports source (to
// read the repository), detect (to find the values again), finding,
// report and scanconfig, and no stage imports it. It runs no git itself.
package purge
