// Package remediatetest holds a stand-in GitHub API on loopback for the
// tests of remediation and of the commands that wire it. It behaves as the
// GitHub REST documentation says for the endpoints remediation uses:
// commits, issues and their comments, pull requests and their review
// comments (refused with a 422 off the diff), at the root as api.github.com
// and under /api/v3 as a GitHub Enterprise Server. Faults can be injected
// (Inject): secondary and primary rate limits, gateway errors, and errors
// given after the request was carried out; a latency makes concurrent runs
// overlap.
package remediatetest
