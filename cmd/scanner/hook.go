package main

import (
	"context"
	_ "embed"
	"os"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/source"
)

// hookAdvice is printed when the pre-commit hook blocks a commit. It names
// no value: the report above it shows each credential redacted.
//
//go:embed hook_advice.txt
var hookAdvice string

// hookSelection picks what a --pre-commit run scans from how pre-commit
// called it. pre-commit only runs a hook without staged files for
// "pre-commit run --all-files" (the hook is skipped when no file changed), so
// an empty index diff means: check every tracked file in full. With
// --from-ref/--to-ref (or at pre-push) pre-commit sets PRE_COMMIT_FROM_REF and
// PRE_COMMIT_TO_REF: check that range.
func (o *gitOptions) hookSelection(ctx context.Context, repo *source.Repo, log zerolog.Logger) (selection, error) {
	from, to := os.Getenv("PRE_COMMIT_FROM_REF"), os.Getenv("PRE_COMMIT_TO_REF")
	if from != "" && to != "" && o.rangeSpec == "" {
		log.Debug().Str("range", from+".."+to).Msg("pre-commit gave a range")
		return selection{kind: "range", rangeSpec: from + ".." + to}, nil
	}
	switch {
	case o.rangeSpec != "":
		return selection{kind: "range", rangeSpec: o.rangeSpec}, nil
	case !o.staged:
		return selection{kind: "history"}, nil
	}
	staged, err := repo.HasStaged(ctx)
	if err != nil {
		return selection{}, err
	}
	if !staged {
		log.Info().Msg("nothing staged: checking every tracked file (pre-commit run --all-files)")
		return selection{kind: "index"}, nil
	}
	return selection{kind: "staged"}, nil
}
