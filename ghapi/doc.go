// Package ghapi is the one way the scanner reaches the GitHub REST API: one
// constructor (New), one URL policy (APIURL: api.github.com by default,
// GITHUB_API_URL names another API root, and a bare host is a GitHub
// Enterprise Server, whose API is at /api/v3), one per-attempt timeout, and one retry policy (Retry) that runs
// inside an http.RoundTripper (Transport).
//
// Retry waits and calls again when GitHub asks it to: a secondary rate limit
// (403 or 429, honouring Retry-After), the primary rate limit
// (x-ratelimit-remaining: 0 until x-ratelimit-reset), and 502/503/504. It is
// bounded by a number of attempts and a total wait. Only idempotent requests
// are repeated after a server error or a broken connection; a POST or PATCH
// is repeated only when GitHub's answer proves it was not processed (a rate
// limit refuses the request before acting on it). Classify is the single
// reader of Retry-After and the rate-limit headers: the sweep's waiter and
// remediation both go through it.
//
// Consumers (remediate, sweep, ghaction) receive the *github.Client that New
// builds and use it through small interfaces they declare. ghapi imports no
// other package of the scanner.
package ghapi
