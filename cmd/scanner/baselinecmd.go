package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/scanner-dev/scanner/cliflag"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/scanconfig"
	"github.com/scanner-dev/scanner/source"
)

// runBaseline is "scanner baseline create|update [flags] [PATH]": scan the
// repository's history (or a range, or the index) and write what it finds
// as a baseline, keyed by fingerprint and path.
func runBaseline(ctx context.Context, args []string, e env) (int, error) {
	sub, err := cliflag.Subcommand("baseline", args, e.stdout, baselineUsage, "create", "update")
	if err != nil {
		return exitError, err
	}
	update := sub == "update"
	var o gitOptions
	var output, note string
	var prune bool
	fs := cliflag.New("baseline "+sub, "[PATH]", e.stdout)
	o.bindGit(fs)
	fs.StringVar(&output, "output", "", "baseline file to write (default: "+scanconfig.BaselineName+" at the repository root)")
	fs.StringVar(&note, "note", "", "note recorded on each new entry (why it is accepted)")
	if update {
		fs.BoolVar(&prune, "prune", false, "drop entries the scan no longer finds")
	}
	pos, err := cliflag.Parse(fs, args[1:])
	if err != nil {
		return exitError, err
	}
	path, err := o.checkGit(pos)
	if err != nil {
		return exitError, err
	}
	o.cfg.NoBaseline = true // see everything: the baseline must not hide from itself
	job, err := o.gitJob(ctx, path, source.Selection{}, e)
	if err != nil {
		return exitError, err
	}
	log := job.log
	res, err := o.scan(ctx, job)
	if err != nil {
		return exitError, err
	}
	if output == "" {
		output = filepath.Join(path, scanconfig.BaselineName)
	}
	b, added, pruned, err := report.UpdateBaselineFile(output, res.Findings, report.BaselineUpdate{
		Keep: update, Prune: prune, Note: note, Now: time.Now().UTC().Truncate(time.Second),
	})
	if err != nil {
		return exitError, err
	}
	log.Info().Str("file", output).Int("entries", len(b.Entries)).Int("added", added).Int("pruned", pruned).Msg("baseline written")
	fmt.Fprintf(e.stderr, "baseline %s: %d entries (%d new, %d pruned)\n", output, len(b.Entries), added, pruned)
	return exitClean, nil
}
