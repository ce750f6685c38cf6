// Package detect finds credentials in content. It is pure: rules and a
// finding.Chunk in, findings out, no I/O.
//
// Every chunk first goes through one pass of a case-insensitive keyword
// prefilter built from all rules' keywords; a rule runs only when one of its
// keywords is present, and the built-in detectors (crisp, kustomer, basic-auth,
// bearer) look only at windows around the keyword hits or at values of the
// shapes they know. Findings of generic rules that overlap a provider finding
// are dropped, inline "scanner:allow" comments and content allowlists mark
// findings as suppressed, and Triage applies the allowlists that need a
// location (paths, commits) once the source has placed the finding.
//
// It imports finding and rules, never another stage.
package detect
