package main

import (
	"context"

	"github.com/scanner-dev/scanner/cliflag"
	"github.com/scanner-dev/scanner/detect"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/scanconfig"
)

// runRules is "scanner rules list [--config FILE]" and "scanner rules test
// [FILE]": help for users writing their own rules.
func runRules(ctx context.Context, args []string, e env) (int, error) {
	sub, err := cliflag.Subcommand("rules", args, e.stdout, rulesUsage, "list", "test")
	if err != nil {
		return exitError, err
	}
	var config string
	fs := cliflag.New("rules "+sub, "[FILE]", e.stdout)
	if sub == "list" {
		fs.StringVar(&config, "config", "", "TOML configuration whose rules to list with the built-in ones")
	}
	pos, err := cliflag.Parse(fs, args[1:])
	if err != nil {
		return exitError, err
	}
	if sub == "test" && len(pos) == 1 {
		config, pos = pos[0], nil
	}
	if len(pos) > 0 {
		return exitError, usageError{"rules " + sub + ": too many arguments"}
	}
	set, err := scanconfig.ServerRules(config)
	if err != nil {
		return exitError, err
	}
	if sub == "list" {
		return exitClean, report.WriteRules(e.stdout, set)
	}
	if !detect.RunExamples(e.stdout, set, config).Passed() {
		return exitFindings, nil
	}
	return exitClean, nil
}
