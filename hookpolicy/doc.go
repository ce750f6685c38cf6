// Package hookpolicy is the server-side pre-receive hook: Hook reads the
// ref updates git gives the hook, scans what the push adds (through
// source, with the rules of --config or the built-in ones, through
// pipeline) and judges the push: accepted, rejected with the reasons, or
// let through unscanned when the pusher asked for it (git push -o
// scanner.skip) and the server allows it (--allow-skip, or git config
// scanner.allowSkip true). It also holds who pushed, as the server tells
// its hooks, and the words the hook prints.
//
// git runs only from source; cmd/scanner parses the flags and maps the
// verdict to an exit status (a push it cannot scan is rejected). Nothing it
// prints or logs holds a raw credential: findings are shown redacted.
package hookpolicy
