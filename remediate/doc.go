// Package remediate turns live leaks into action. Remediator.Plan returns
// the program (a Plan): for each incident its owners (CODEOWNERS, then the
// commit authors) and roll instructions, and the list of Steps to run, each
// with an idempotency key (fingerprint/kind/target): the GitHub issue, the
// review comment on the leaking line in pull-request runs, the rotation
// hooks (exec, webhook), the Kustomer revocation (only with Revoke), Slack
// and webhook alerts. An Applier runs a plan: Remediator.Apply runs exactly
// its steps and records each in the ledger, returning one Result per step (a
// failing step does not stop the others); DryRun prints exactly those steps
// and runs none. Recheck confirms revocation and closes the loop.
//
// The incident ledger is an SQLite file (DefaultLedger, in DefaultStateDir,
// never in the scanned repository). Runs that share it coordinate through
// claims: a run claims an incident's issue step (one INSERT on its unique
// key) before opening the issue, so at most one issue exists per
// credential whatever runs at once; a claim left by a crashed run is taken
// over when its lease ends, after looking for the issue by its marker.
//
// GitHub is reached through a go-github client built by ghapi.New (URL
// policy, timeout, retries of rate limits and gateway errors), used through
// the small interfaces declared here. It imports finding and ghapi, never
// another stage (source, detect, validate, report); cmd/scanner wires it
// through Settings (the remediation flags as given, bound by Bind), which
// build the remediator, ledger and GitHub client and run Remediate,
// AfterScan (a scan's findings, when asked) or Recheck for a Scope: the scanned tree (a TreeFiles, for CODEOWNERS), its origin remote
// and pull request.
// The ledger never stores a raw credential, and no plan, alert, result or
// error carries one: only the redacted form and the fingerprint. Exec hooks
// receive the raw value only when the user's configuration says
// include_secret = true.
package remediate
