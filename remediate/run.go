package remediate

import (
	"context"
	"io"

	"github.com/rs/zerolog"
	"github.com/scanner-dev/scanner/finding"
)

// Run plans the remediation of incs and runs the plan: for real, or, when
// dryRun is not nil, printed on it by an applier that runs nothing (the
// plan printed is the list Apply would run). Each failed step is logged;
// the error names the failed steps.
func (r *Remediator) Run(ctx context.Context, incs []Incident, dryRun io.Writer, log zerolog.Logger) error {
	plan, err := r.Plan(ctx, incs)
	if err != nil {
		return err
	}
	var ap Applier = r
	if dryRun != nil {
		ap = DryRun{W: dryRun}
	}
	results, err := ap.Apply(ctx, plan)
	if err != nil {
		return err
	}
	for _, f := range results.Failed() {
		log.Warn().Str("step", f.Step.Key).Str("error", f.Error).Msg("remediation step failed")
	}
	log.Info().Int("incidents", len(incs)).Int("steps", len(results)).Int("failed", len(results.Failed())).Msg("remediated")
	return results.Err()
}

// RepoName is the OWNER/NAME issues go to: flag (--github-repo) when set,
// else $GITHUB_REPOSITORY (read through getenv), else what origin (the
// scanned repository's origin remote URL; nil for none) names.
func RepoName(flag string, getenv func(string) string, origin func() string) string {
	if flag != "" {
		return flag
	}
	if r := getenv("GITHUB_REPOSITORY"); r != "" {
		return r
	}
	if origin == nil {
		return ""
	}
	return ParseRepo(origin())
}

// Statuses are the validation answers remediation acts on: live, and
// unknown too when asked (--remediate-unknown).
func Statuses(unknown bool) []finding.Status {
	if unknown {
		return []finding.Status{finding.Live, finding.Unknown}
	}
	return []finding.Status{finding.Live}
}
