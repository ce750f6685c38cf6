package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/scanner-dev/scanner/report"
)

// runBaseline is "scanner baseline create|update [flags] [PATH]": scan the
// repository's history (or a range, or the index) and write what it finds
// as a baseline, keyed by fingerprint and path.
func runBaseline(ctx context.Context, args []string, e env) (int, error) {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprint(e.stdout, baselineUsage)
		return exitClean, nil
	}
	if len(args) == 0 || (args[0] != "create" && args[0] != "update") {
		return exitError, usageError{"baseline needs a subcommand: create or update; run 'scanner baseline -h'"}
	}
	update := args[0] == "update"
	var o gitOptions
	var output, note string
	var prune bool
	fs := newFlagSet("baseline "+args[0], "[PATH]", e)
	o.bindGit(fs)
	fs.StringVar(&output, "output", "", "baseline file to write (default: "+repoBaselineName+" at the repository root)")
	fs.StringVar(&note, "note", "", "note recorded on each new entry (why it is accepted)")
	if update {
		fs.BoolVar(&prune, "prune", false, "drop entries the scan no longer finds")
	}
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return exitError, err
	}
	path, err := o.checkGit(pos)
	if err != nil {
		return exitError, err
	}
	o.triage.noBaseline = true // see everything: the baseline must not hide from itself
	job, err := o.gitJob(ctx, path, selection{}, e)
	if err != nil {
		return exitError, err
	}
	log := job.log
	res, _, err := o.scan(ctx, job)
	if err != nil {
		return exitError, err
	}
	if output == "" {
		output = filepath.Join(path, repoBaselineName)
	}
	b := &report.Baseline{}
	if update {
		if b, err = readBaselineFile(output); err != nil {
			return exitError, err
		}
	}
	pruned := 0
	if prune {
		pruned = b.Prune(res.Findings)
	}
	start := len(b.Entries)
	added := b.Add(res.Findings, time.Now().UTC().Truncate(time.Second))
	for i := start; i < len(b.Entries); i++ {
		b.Entries[i].Note = note
	}
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		return exitError, err
	}
	if err := os.WriteFile(output, buf.Bytes(), 0o644); err != nil {
		return exitError, fmt.Errorf("write baseline: %w", err)
	}
	log.Info().Str("file", output).Int("entries", len(b.Entries)).Int("added", added).Int("pruned", pruned).Msg("baseline written")
	fmt.Fprintf(e.stderr, "baseline %s: %d entries (%d new, %d pruned)\n", output, len(b.Entries), added, pruned)
	return exitClean, nil
}

func readBaselineFile(path string) (*report.Baseline, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return &report.Baseline{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	defer f.Close()
	b, err := report.ReadBaseline(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}
