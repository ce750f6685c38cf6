// Package hookpolicy is the policy and the words of the server-side
// pre-receive hook: whether the pusher asked to skip the scan (git push -o
// scanner.skip) and who pushed, as the server tells its hooks, and what the
// hook prints when it rejects a push or lets one through unscanned.
//
// It imports finding only: cmd/scanner reads the ref updates, runs the
// scan (source, detect, pipeline) and decides the exit status. Nothing it
// prints holds a raw credential: findings are shown redacted.
package hookpolicy
