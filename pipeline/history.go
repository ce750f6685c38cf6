package pipeline

import (
	"context"

	"github.com/scanner-dev/scanner/source"
)

// RunHistory runs in over the history of the repository at path (a bare
// mirror of an org sweep, say): every commit, or with since only the
// commits that no commit of since reaches (an incremental sweep).
// in.Source is set here; opts read the repository.
func RunHistory(ctx context.Context, path string, since []string, opts source.Options, in Input) (*Result, error) {
	repo, err := source.OpenRepo(ctx, path, opts)
	if err != nil {
		return nil, err
	}
	in.Source = repo.History()
	if len(since) > 0 {
		if in.Source, err = repo.Since(ctx, since); err != nil {
			return nil, err
		}
	}
	return Run(ctx, in)
}
