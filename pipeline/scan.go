package pipeline

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/detect"
	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/progress"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/rules"
	"github.com/scanner-dev/scanner/scanconfig"
)

// Loaded is what a run loads before it scans: the rules in force (the
// user's configuration, else the tree's own, else a gitleaks
// configuration), their detector, the baselines and the triage a gitleaks
// configuration adds.
type Loaded struct {
	Rules     *rules.Set
	Detector  *detect.Detector
	Baselines []Baseline
	Triagers  []Triager
}

// Load reads the rules and baselines of a run through the tree (see
// scanconfig.Load) and builds the detector.
func Load(ctx context.Context, tree Tree, o scanconfig.Options) (*Loaded, error) {
	c, err := scanconfig.Load(ctx, tree, o)
	if err != nil {
		return nil, err
	}
	l := &Loaded{Rules: c.Rules, Detector: detect.New(c.Rules)}
	if c.Gitleaks != nil {
		l.Triagers = append(l.Triagers, c.Gitleaks)
	}
	for _, b := range c.Baselines {
		l.Baselines = append(l.Baselines, b)
	}
	return l, nil
}

// Input fills the detector, baselines and triagers of an Input.
func (l *Loaded) Input(in Input) Input {
	in.Detector, in.Baselines, in.Triagers = l.Detector, l.Baselines, l.Triagers
	return in
}

// Watch is what a command shows and bounds around a run.
type Watch struct {
	Out        io.Writer     // where the progress line, Verbose and Explain print (stderr)
	NoProgress bool          // no progress line on Out, even on a terminal
	Verbose    bool          // print each finding as it is found, before validation
	Explain    bool          // print the detector's reasons and each suppressed finding
	Timeout    time.Duration // stop reading after this long (0: no limit): the result is Incomplete
}

// finisher is a Validator that records what it spent once the run is done
// (validate.Session).
type finisher interface {
	Done(st *finding.Stats, n int) error
}

// Scan is Run as a command asks it: with what w shows and bounds, and the
// validator (when it is a finisher) told the run is done; a failure to
// finish is a warning.
func Scan(ctx context.Context, in Input, w Watch) (*Result, error) {
	var counter progress.Counter
	meter := progress.Start(w.Out, counter.Counts, progress.Options{Disabled: w.NoProgress})
	defer meter.Stop()
	if meter != nil { // count chunks only when a terminal shows them
		in.OnChunk = func(c finding.Chunk) {
			blobs := int64(0)
			if c.Offset == 0 {
				blobs = 1
			}
			counter.Add(blobs, int64(len(c.Data)))
		}
	}
	if w.Verbose {
		in.Found = func(f finding.Finding) { fmt.Fprintln(w.Out, "found:", describe(f)) }
	}
	if w.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, w.Timeout)
		defer cancel()
	}
	if w.Explain {
		in.Detector.SetExplain(w.Out)
		in.PlaceSuppressed = true // the trace names where each suppressed finding is
	}
	res, err := Run(ctx, in)
	if err != nil {
		return nil, err
	}
	if w.Explain {
		for _, f := range res.Suppressed {
			fmt.Fprintf(w.Out, "suppressed (%s): %s\n", f.Suppressed, describe(f))
		}
	}
	if v, ok := in.Validator.(finisher); ok {
		if err := v.Done(&res.Stats, len(res.Findings)); err != nil {
			in.Log.Warn().Err(err).Msg("validation cache not saved")
			res.Stats.Warnings++
		}
	}
	return res, nil
}

// describe is the one-line, redacted form of a finding for Watch.Verbose
// and Watch.Explain.
func describe(f finding.Finding) string {
	where := f.Path
	if f.Line > 0 {
		where = fmt.Sprintf("%s:%d", f.Path, f.Line)
	}
	s := fmt.Sprintf("%s %s %s", f.RuleID, finding.Printable(where), f.Redacted())
	if f.Commit != "" {
		s += " " + f.Commit
	}
	return s
}

// DisplayPaths makes the paths of a directory scan's findings, reported
// and suppressed, open from where the user ran it (see report.DisplayPaths).
func (r *Result) DisplayPaths(root string) {
	report.DisplayPaths(root, r.Findings)
	report.DisplayPaths(root, r.Suppressed)
}

// Report is the report of the run: its findings sorted and counted.
func (r *Result) Report(tool report.Tool, target report.Target) *report.Report {
	r.Count()
	report.Sort(r.Findings)
	return &report.Report{Tool: tool, Target: target, Findings: r.Findings, Stats: r.Stats}
}

// ReadCredentials reads credentials given back to be checked again (no
// scan): a JSON report made with --show-secrets, or credential lines, which
// d recognises. The lines it skips are logged.
func ReadCredentials(r io.Reader, d *detect.Detector, log zerolog.Logger) ([]finding.Finding, error) {
	return d.ReadCredentials(r, report.ReadFindings, func(n int) {
		log.Warn().Int("line", n).Msg("not a credential the scanner knows; skipped")
	})
}
