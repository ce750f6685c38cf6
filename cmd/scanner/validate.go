package main

import "github.com/scanner-dev/scanner/finding"

// exitCode maps the findings to the exit status (see --fail-on).
func (o *scanOptions) exitCode(fs []finding.Finding) int {
	if o.validate.Fails(fs) {
		return exitFindings
	}
	return exitClean
}
