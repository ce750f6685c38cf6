package ghaction

import (
	"context"
	"fmt"
)

// Fetcher is the checkout the action scans, as the caller drives it (the git
// CLI in cmd/scanner). Remote-side names are those of the "origin" remote
// actions/checkout sets up.
type Fetcher interface {
	// HasCommit reports whether rev names a commit present in the checkout.
	HasCommit(ctx context.Context, rev string) bool
	// Shallow reports whether the checkout is a shallow clone.
	Shallow(ctx context.Context) bool
	// Fetch fetches refspecs (commit ids or src:dst refspecs) from origin;
	// with unshallow it also fetches the history a shallow clone lacks.
	Fetch(ctx context.Context, unshallow bool, refspecs ...string) error
}

// allBranches is the refspec of a whole-history fetch.
const allBranches = "+refs/heads/*:refs/remotes/origin/*"

// fetchAdvice ends every error about missing history.
const fetchAdvice = "give actions/checkout `fetch-depth: 0` (and, for pull requests from forks, a token that can read the fork)"

// Prepare makes sure the checkout holds what the plan scans: the whole
// history for a full scan, both ends of a range and the commits between
// them. It fetches what is missing and fails with advice when it cannot.
// When the range's base cannot be had and the plan has a fallback, the
// fallback is prepared and returned instead.
func Prepare(ctx context.Context, g Fetcher, p Plan) (Plan, error) {
	err := prepare(ctx, g, p)
	if err != nil && p.Fallback != nil && !g.HasCommit(ctx, p.Base) && g.HasCommit(ctx, p.Head) {
		return *p.Fallback, prepare(ctx, g, *p.Fallback)
	}
	return p, err
}

func prepare(ctx context.Context, g Fetcher, p Plan) error {
	switch {
	case p.Empty:
		return nil
	case p.Full:
		if !g.Shallow(ctx) {
			return nil
		}
		if err := g.Fetch(ctx, true, allBranches); err != nil {
			return fmt.Errorf("the checkout is shallow and fetching the whole history failed (%w): %s", err, fetchAdvice)
		}
		return nil
	}
	var want []string
	if p.BaseBranch != "" {
		want = append(want, "+refs/heads/"+p.BaseBranch+":"+p.Base)
	} else if !g.HasCommit(ctx, p.Base) {
		want = append(want, p.Base)
	}
	if !g.HasCommit(ctx, p.Head) {
		want = append(want, p.Head)
	}
	shallow := g.Shallow(ctx)
	if len(want) > 0 || shallow {
		if err := g.Fetch(ctx, shallow, want...); err != nil {
			return fmt.Errorf("fetch %s from origin for the range %s: %w; %s", describeWant(want, shallow), p.Range(), err, fetchAdvice)
		}
	}
	for _, rev := range []string{p.Base, p.Head} {
		if !g.HasCommit(ctx, rev) {
			return fmt.Errorf("commit %s of the range %s is not in the checkout, even after fetching it: %s", rev, p.Range(), fetchAdvice)
		}
	}
	return nil
}

func describeWant(want []string, shallow bool) string {
	s := fmt.Sprintf("%d missing revision(s)", len(want))
	if shallow {
		s += " and the history the shallow checkout lacks"
	}
	return s
}
