// Package rules owns the rule set: the TOML rule files of this directory,
// the loader that checks them, and the user configuration (--config) that
// adds rules, overrides them, disables them and allowlists findings.
//
// The TOML files are the source; builtin_gen.go is their parsed form, which
// the binary builds its set from (parsing them took 10 ms of CPU at every
// start). A test fails when it is stale; after editing a rule file, run
//
//	SCANNER_UPDATE_RULES=1 go test ./rules -run TestBuiltinRulesAreGenerated
//
// A rule is data. It names the provider, the severity, the keywords that gate
// it, the parts it captures, and either a regular expression or one of the
// built-in detectors (crisp, kustomer, basic-auth, bearer) that the detect
// package implements. Every rule carries positive and negative examples,
// written as templates that Fixture fills with values generated at run time,
// so that no credential-shaped literal is ever committed.
//
// It imports finding and nothing else of the scanner.
package rules
