// Package remediate turns live leaks into action: it plans, then applies,
// the rotation of each leaked credential (Crisp roll instructions, the
// Kustomer revocation call only when asked, user-configured exec and webhook
// hooks), alerts the owners (CODEOWNERS and the commit author) through a
// GitHub issue, a review comment on the leaking line in pull-request runs,
// Slack and webhooks, and keeps the incident ledger that --recheck uses to
// confirm revocation and close the loop. GitHub is reached through go-github
// (GITHUB_API_URL: github.com or a GitHub Enterprise Server).
//
// It imports finding and its own third-party dependencies only, never
// another stage (source, detect, validate, report); cmd/scanner wires it.
// The ledger never stores a raw credential, and no alert ever carries one:
// only the redacted form and the fingerprint. Exec hooks receive the raw
// value only when the user's configuration says include_secret = true.
package remediate
