package main

import (
	"context"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
)

// check validates fs in place (re-checks of given credentials).
func (o *scanOptions) check(ctx context.Context, set *rules.Set, fs []finding.Finding, st *finding.Stats, log zerolog.Logger) error {
	return o.validate.Validate(ctx, set, fs, st, toolVersion(), log)
}

// exitCode maps the findings to the exit status (see --fail-on).
func (o *scanOptions) exitCode(fs []finding.Finding) int {
	if o.validate.Fails(fs) {
		return exitFindings
	}
	return exitClean
}
