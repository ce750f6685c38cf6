package source

import (
	"context"
	"strings"

	"github.com/rs/zerolog"
)

// Scope is which part of a repository a git run scans.
type Scope string

// The scopes of a git run.
const (
	WholeHistory Scope = "history" // every commit on every ref
	CommitRange  Scope = "range"   // what the commits of BASE..HEAD added
	StagedOnly   Scope = "staged"  // what is staged in the index against HEAD
	TrackedFiles Scope = "index"   // every file the index tracks, in full
)

// Selection is what a git run scans: a scope and, for CommitRange, the
// range.
type Selection struct {
	Scope Scope
	Range string // BASE..HEAD (or BASE...HEAD), for CommitRange
}

// RangeSelection selects the range spec, or the whole history when spec is
// empty.
func RangeSelection(spec string) Selection {
	if spec == "" {
		return Selection{Scope: WholeHistory}
	}
	return Selection{Scope: CommitRange, Range: spec}
}

// Label names the selection in a report's target: the range, "staged",
// "index", or "" for the whole history.
func (s Selection) Label() string {
	switch s.Scope {
	case CommitRange:
		return s.Range
	case StagedOnly, TrackedFiles:
		return string(s.Scope)
	}
	return ""
}

// Base is the revision whose files configure a range run (its base commit:
// a pull request cannot bring its own configuration), "" otherwise.
func (s Selection) Base() string {
	if s.Scope != CommitRange {
		return ""
	}
	base, _, _ := strings.Cut(s.Range, "..")
	return base
}

// Want is what the command line asks a git run to scan.
type Want struct {
	Range   string // --range
	LogOpts string // gitleaks' --log-opts: a spelling of --range (cliflag.LogOpts)
	Staged  bool   // --staged
	// PreCommit says the run is a pre-commit hook: what it scans depends on
	// how pre-commit called it (see Repo.Select).
	PreCommit bool
}

// Select picks what a git run scans. Outside a hook: the range asked, the
// staged changes, or the whole history. As a pre-commit hook
// (Want.PreCommit): pre-commit sets PRE_COMMIT_FROM_REF and
// PRE_COMMIT_TO_REF (read through getenv) for --from-ref/--to-ref and at
// pre-push, and that range is scanned; pre-commit only runs a hook without
// staged files for "pre-commit run --all-files" (the hook is skipped when
// no file changed), so an empty index diff means: every tracked file in
// full.
func (r *Repo) Select(ctx context.Context, w Want, getenv func(string) string, log zerolog.Logger) (Selection, error) {
	var err error
	if w.Range, err = w.rangeAsked(); err != nil {
		return Selection{}, err
	}
	if w.PreCommit && w.Range == "" {
		if from, to := getenv("PRE_COMMIT_FROM_REF"), getenv("PRE_COMMIT_TO_REF"); from != "" && to != "" {
			log.Debug().Str("range", from+".."+to).Msg("pre-commit gave a range")
			return RangeSelection(from + ".." + to), nil
		}
	}
	switch {
	case w.Range != "":
		return RangeSelection(w.Range), nil
	case !w.Staged:
		return Selection{Scope: WholeHistory}, nil
	case !w.PreCommit:
		return Selection{Scope: StagedOnly}, nil
	}
	staged, err := r.HasStaged(ctx)
	if err != nil {
		return Selection{}, err
	}
	if !staged {
		log.Info().Msg("nothing staged: checking every tracked file (pre-commit run --all-files)")
		return Selection{Scope: TrackedFiles}, nil
	}
	return Selection{Scope: StagedOnly}, nil
}

// Pick returns what a git run scans and its source: sel when it is given
// (the Action's, from its event), else what w selects (see Select).
func (r *Repo) Pick(ctx context.Context, sel Selection, w Want, getenv func(string) string, log zerolog.Logger) (Selection, Source, error) {
	if sel.Scope == "" {
		var err error
		if sel, err = r.Select(ctx, w, getenv, log); err != nil {
			return sel, nil, err
		}
	}
	src, err := r.Selected(ctx, sel)
	return sel, src, err
}

// Selected returns the source that reads a selection.
func (r *Repo) Selected(ctx context.Context, s Selection) (Source, error) {
	switch s.Scope {
	case TrackedFiles:
		return r.Index(), nil
	case StagedOnly:
		return r.Staged(ctx), nil
	case CommitRange:
		return r.Range(ctx, s.Range)
	}
	return r.History(), nil
}

// OriginURL is the URL of the origin remote of the repository holding dir,
// "" when there is none or dir is not in a repository (or is "").
func OriginURL(ctx context.Context, dir string) string {
	if dir == "" {
		return ""
	}
	repo, err := OpenRepo(ctx, dir, Options{Log: zerolog.Nop()})
	if err != nil {
		return ""
	}
	return repo.OriginURL(ctx)
}

// TopLevel is the root of the work tree holding dir, or dir itself when it
// is not in one.
func TopLevel(ctx context.Context, dir string) string {
	repo, err := OpenRepo(ctx, dir, Options{Log: zerolog.Nop()})
	if err != nil {
		return dir
	}
	if root := repo.Root(ctx); root != "" {
		return root
	}
	return dir
}
