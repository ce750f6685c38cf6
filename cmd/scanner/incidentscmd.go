package main

import (
	"context"

	"github.com/scanner-dev/scanner/cliflag"
	"github.com/scanner-dev/scanner/remediate"
)

// runIncidents lists the incidents of the ledger.
func runIncidents(ctx context.Context, args []string, e env) (int, error) {
	var ledger, format, status string
	fs := cliflag.New("incidents", "", e.stdout)
	fs.StringVar(&ledger, "ledger", "", "incident ledger (SQLite file; default: incidents.db in the state directory)")
	fs.StringVar(&format, "format", "text", "output format: text or json")
	fs.StringVar(&status, "status", "all", "which incidents: open, revoked or all")
	pos, err := cliflag.Parse(fs, args)
	if err != nil {
		return exitError, err
	}
	if len(pos) > 0 {
		return exitError, usageError{"incidents takes no arguments"}
	}
	if err := remediate.ShowIncidents(ctx, e.stdout, ledger, status, format); err != nil {
		return exitError, err
	}
	return exitClean, nil
}
