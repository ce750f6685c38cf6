package purge

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/detect"
	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/scanconfig"
	"github.com/scanner-dev/scanner/source"
)

// Job is what purge-plan and verify-purged work on: the findings of a JSON
// report, the repository they were found in, and the detector of the rules
// the report was made with.
type Job struct {
	Report   string // the report's absolute path, for the printed commands
	Findings []finding.Finding
	Repo     *source.Repo
	Detector *detect.Detector
}

// Open reads the JSON report at reportPath, opens the repository at
// repoPath and builds the detector of the configuration file config (the
// built-in rules when config is "").
func Open(ctx context.Context, reportPath, repoPath, config string, log zerolog.Logger) (*Job, error) {
	rep, err := report.ReadJSONFile(reportPath)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	repo, err := source.OpenRepo(ctx, repoPath, source.Options{Log: log})
	if err != nil {
		return nil, err
	}
	if config != "" {
		log.Debug().Str("config", config).Msg("rules from the configuration")
	}
	set, err := scanconfig.ServerRules(config)
	if err != nil {
		return nil, err
	}
	abs, _ := filepath.Abs(reportPath)
	return &Job{Report: abs, Findings: rep.Findings, Repo: repo, Detector: detect.New(set)}, nil
}

// Plan prints how to take the job's credentials out of history: roll
// first, the expressions file (the raw values go there, mode 0600, never to
// w), the exact git filter-repo commands, and what a forge still keeps.
// The expressions file is written when some value was found: to
// o.Expressions if given, else ExpressionsName in the git directory.
// o.Report is set to the job's report.
func (j *Job) Plan(ctx context.Context, w io.Writer, o PrintOptions) error {
	plan, err := NewPlan(ctx, j.Repo, j.Detector, j.Findings)
	if err != nil {
		return err
	}
	o.Report = j.Report
	if len(plan.Found) > 0 {
		if o.Expressions, err = ExpressionsPath(o.Expressions, j.Repo.GitDir(ctx)); err != nil {
			return err
		}
		if err := plan.WriteExpressions(o.Expressions); err != nil {
			return err
		}
	} else {
		o.Expressions = ""
	}
	if err := plan.Print(w, o); err != nil {
		return fmt.Errorf("write the plan: %w", err)
	}
	return nil
}

// Verify proves a clean-up: it scans every blob any ref reaches, prints
// "0 of N fingerprints reachable" on w, or where each credential of the
// report is still reachable (redacted), and returns how many fingerprints
// are still reachable.
func (j *Job) Verify(ctx context.Context, w io.Writer) (int, error) {
	var fps []string
	for _, t := range Targets(j.Findings) {
		fps = append(fps, t.Fingerprint)
	}
	v, err := Verify(ctx, j.Repo, j.Detector, fps)
	if err != nil {
		return 0, err
	}
	if err := v.Print(w); err != nil {
		return 0, fmt.Errorf("write the verdict: %w", err)
	}
	return v.ReachableFingerprints(), nil
}
