package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"text/tabwriter"

	"github.com/scanner-dev/scanner/detect"
	"github.com/scanner-dev/scanner/rules"
)

// runRules is "scanner rules list [--config FILE]" and "scanner rules test
// [FILE]": help for users writing their own rules.
func runRules(ctx context.Context, args []string, e env) (int, error) {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprint(e.stdout, rulesUsage)
		return exitClean, nil
	}
	if len(args) == 0 || (args[0] != "list" && args[0] != "test") {
		return exitError, usageError{"rules needs a subcommand: list or test; run 'scanner rules -h'"}
	}
	var config string
	fs := newFlagSet("rules "+args[0], "[FILE]", e)
	if args[0] == "list" {
		fs.StringVar(&config, "config", "", "TOML configuration whose rules to list with the built-in ones")
	}
	pos, err := parseArgs(fs, args[1:])
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
		return exitClean, listRules(set, e)
	}
	return testRules(set, config, e), nil
}

func listRules(set *rules.Set, e env) error {
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tPROVIDER\tSEVERITY\tKEYWORDS\tEXAMPLES\tCHECK\tFROM")
	for _, r := range set.Rules {
		check := "-"
		if r.Check != nil {
			check = r.Check.Host()
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", r.ID, dash(r.Provider), r.Severity,
			dash(strings.Join(r.Keywords, ",")), len(r.Examples), check, r.Origin)
	}
	return w.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// testRules runs the examples of the rules that come from file (every rule
// when file is empty), filled with random values, and reports each failure.
func testRules(set *rules.Set, file string, e env) int {
	d := detect.New(set)
	fx := rules.NewFixture(rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())))
	failed, examples, tested := 0, 0, 0
	for _, r := range set.Rules {
		if file != "" && r.Origin != file {
			continue
		}
		tested++
		examples += len(r.Examples)
		if len(r.Examples) == 0 {
			fmt.Fprintf(e.stdout, "warn  %s: no examples; add positive and negative ones\n", r.ID)
		}
		for _, err := range d.CheckExamples(r, fx) {
			failed++
			fmt.Fprintf(e.stdout, "FAIL  %s\n", err)
		}
	}
	if tested == 0 {
		fmt.Fprintf(e.stdout, "no rules from %s\n", file)
		return exitFindings
	}
	fmt.Fprintf(e.stdout, "%d rules, %d examples, %d failed\n", tested, examples, failed)
	if failed > 0 {
		return exitFindings
	}
	return exitClean
}
