// Package report renders the result of a run: JSON (the versioned schema
// every other tool and command reads back, with Merge and MergeFiles joining
// the shards of a sweep), SARIF 2.1.0 for GitHub code scanning (at most SARIFMaxResults
// results, percent-encoded artifact URIs relative to %SRCROOT%), CSV with
// gitleaks' columns, JUnit XML for CI systems, and text for people. Write
// dispatches on a name from Formats. A sweep's proof of coverage (which
// repositories, up to which commits, with which rules) is Report.Repositories.
//
// Secrets are redacted in every format unless Options.ShowSecrets is set,
// and then only the JSON "secret" object, the CSV Secret and Match columns
// and the text output carry them; a report read back without raw values
// keeps each finding's redacted form (finding.Finding.Display). Text that
// comes from the scanned content (paths, authors, details) is quoted when it
// holds control or bidirectional characters, in every format.
//
// Settings are the report flags every scanning command takes (Bind binds
// them with gitleaks' spellings; Write writes a report as they ask).
//
// It imports finding, never another stage.
package report
