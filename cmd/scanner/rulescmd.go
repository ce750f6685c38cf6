package main

import (
	"context"
	"fmt"

	"github.com/scanner-dev/scanner/cliflag"
	"github.com/scanner-dev/scanner/detect"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/rules"
)

// runRules is "scanner rules list [--config FILE]" and "scanner rules test
// [FILE]": help for users writing their own rules.
func runRules(ctx context.Context, args []string, e env) (int, error) {
	if len(args) > 0 && cliflag.IsHelp(args[0]) {
		fmt.Fprint(e.stdout, rulesUsage)
		return exitClean, nil
	}
	if len(args) == 0 || (args[0] != "list" && args[0] != "test") {
		return exitError, usageError{"rules needs a subcommand: list or test; run 'scanner rules -h'"}
	}
	var config string
	fs := cliflag.New("rules "+args[0], "[FILE]", e.stdout)
	if args[0] == "list" {
		fs.StringVar(&config, "config", "", "TOML configuration whose rules to list with the built-in ones")
	}
	pos, err := cliflag.Parse(fs, args[1:])
	if err != nil {
		return exitError, err
	}
	if args[0] == "test" && len(pos) == 1 {
		config, pos = pos[0], nil
	}
	if len(pos) > 0 {
		return exitError, usageError{"rules " + args[0] + ": too many arguments"}
	}
	set, err := rules.Default()
	if config != "" {
		set, err = rules.LoadConfig(config)
	}
	if err != nil {
		return exitError, err
	}
	if args[0] == "list" {
		return exitClean, report.WriteRules(e.stdout, set)
	}
	return testRules(set, config, e), nil
}

// testRules runs the examples of the rules that come from file (every rule
// when file is empty), filled with random values, and reports each failure.
func testRules(set *rules.Set, file string, e env) int {
	res := detect.RunExamples(e.stdout, set, file)
	if res.Rules == 0 {
		fmt.Fprintf(e.stdout, "no rules from %s\n", file)
		return exitFindings
	}
	fmt.Fprintf(e.stdout, "%d rules, %d examples, %d failed\n", res.Rules, res.Examples, res.Failed)
	if res.Failed > 0 {
		return exitFindings
	}
	return exitClean
}
