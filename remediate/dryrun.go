package remediate

import (
	"context"
	"io"
)

// DryRun is the Applier of --dry-run: it prints the plan (WritePlan), which
// lists exactly the steps Remediator.Apply would run, runs none of them and
// changes nothing. Each step's Result is OK with the detail "planned".
type DryRun struct {
	W io.Writer
}

// Apply prints the plan's steps.
func (d DryRun) Apply(_ context.Context, p *Plan) (Results, error) {
	if err := WritePlan(d.W, p); err != nil {
		return nil, err
	}
	out := make(Results, 0, len(p.Steps))
	for _, s := range p.Steps {
		out = append(out, Result{Step: s, OK: true, Detail: "planned"})
	}
	return out, nil
}
