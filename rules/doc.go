// Package rules owns the rule set: the TOML rule files embedded from this
// directory, the loader that checks them, and the user configuration (--config)
// that adds rules, overrides them, disables them and allowlists findings.
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
