// Package report renders the result of a run: JSON (the versioned schema
// every other tool and command reads back), SARIF 2.1.0 for GitHub code
// scanning, and text for people. Secrets are redacted in every format unless
// Options.ShowSecrets is set, and then only the JSON "secret" object and the
// text output carry them.
//
// It imports finding, never another stage.
package report
