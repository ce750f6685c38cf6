package main

import (
	"context"
	"flag"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/report"
)

// remediateOptions are the flags that turn on remediation of live findings.
// (Being built: see issue 4.)
type remediateOptions struct{}

func (o *remediateOptions) bind(fs *flag.FlagSet) {}

// run remediates the findings of a finished scan when asked.
func (o *remediateOptions) run(ctx context.Context, target report.Target, res *scanResult, log zerolog.Logger) error {
	return nil
}

func runRemediate(ctx context.Context, args []string, e env) (int, error) {
	return exitError, usageError{"remediate: not available in this build"}
}

func runIncidents(ctx context.Context, args []string, e env) (int, error) {
	return exitError, usageError{"incidents: not available in this build"}
}
