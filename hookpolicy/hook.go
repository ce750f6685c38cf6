package hookpolicy

import (
	"context"
	"fmt"
	"io"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/detect"
	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/scanconfig"
	"github.com/scanner-dev/scanner/source"
)

// Hook is one run of the pre-receive hook in the receiving repository.
type Hook struct {
	Config    string              // the rules' configuration file ("": the built-in rules)
	AllowSkip bool                // honour SkipOption, whatever the repository's configuration says
	Getenv    func(string) string // the environment git gives the hook (os.Getenv)
	Stderr    io.Writer           // what the pusher sees
	Log       zerolog.Logger
}

// Repo is the receiving repository as the hook reads it; *source.Repo is
// one.
type Repo interface {
	ConfigBool(ctx context.Context, key string) (bool, error)
	Pushed(ctx context.Context, updates []source.RefUpdate) (source.Source, error)
}

// Run reads the "<old> <new> <ref>" lines git writes on the hook's stdin,
// opens the repository at path and judges the push (see Judge).
func (h Hook) Run(ctx context.Context, path string, stdin io.Reader, opts source.Options) (accepted bool, err error) {
	updates, err := source.ParseRefUpdates(stdin)
	if err != nil {
		return false, err
	}
	repo, err := source.OpenRepo(ctx, path, opts)
	if err != nil {
		return false, err
	}
	return h.Judge(ctx, repo, updates)
}

// Judge scans what the push adds and says whether to accept it. A push
// holding a credential is rejected with the reasons on Stderr. A scan that
// fails returns its error: a hook that cannot scan lets no push through,
// unless the pusher asked to skip the scan and the server allows it; then
// the push is accepted, saying so on Stderr and in the log, with what the
// scan would have blocked (redacted).
func (h Hook) Judge(ctx context.Context, repo Repo, updates []source.RefUpdate) (accepted bool, err error) {
	skip := h.skipAllowed(ctx, repo)
	fs, err := h.scan(ctx, repo, updates)
	if skip {
		h.bypass(fs, err)
		return true, nil
	}
	if err != nil {
		return false, err
	}
	if len(fs) == 0 {
		return true, nil
	}
	PrintRejection(h.Stderr, fs, h.AllowSkip || configAllowsSkip(ctx, repo))
	return false, nil
}

// scan runs the pipeline over what the push adds. An interrupted scan is an
// error: a push is let through only when all of it was read.
func (h Hook) scan(ctx context.Context, repo Repo, updates []source.RefUpdate) ([]finding.Finding, error) {
	set, err := scanconfig.ServerRules(h.Config)
	if err != nil {
		return nil, err
	}
	src, err := repo.Pushed(ctx, updates)
	if err != nil {
		return nil, err
	}
	res, err := pipeline.Run(ctx, pipeline.Input{Source: src, Detector: detect.New(set), Log: h.Log})
	if err != nil {
		return nil, err
	}
	if res.Stats.Incomplete {
		return res.Findings, fmt.Errorf("the scan of the push was interrupted")
	}
	return res.Findings, nil
}

// skipAllowed reports whether the pusher asked for SkipOption and the
// server allows it; a request the server does not allow is answered and
// ignored.
func (h Hook) skipAllowed(ctx context.Context, repo Repo) bool {
	if !PushOptionSet(h.Getenv, SkipOption) {
		return false
	}
	if h.AllowSkip || configAllowsSkip(ctx, repo) {
		return true
	}
	h.Log.Info().Str("pusher", Pusher(h.Getenv)).Msg("push option " + SkipOption + " refused: not allowed here")
	PrintRefusedSkip(h.Stderr)
	return false
}

// configAllowsSkip reports whether the repository's git configuration sets
// AllowSkipKey.
func configAllowsSkip(ctx context.Context, repo Repo) bool {
	ok, err := repo.ConfigBool(ctx, AllowSkipKey)
	return err == nil && ok
}

// bypass says on Stderr and in the log that a push the pusher asked to skip
// is let through, with what the scan would have blocked (redacted) or why
// it could not scan.
func (h Hook) bypass(fs []finding.Finding, scanErr error) {
	ev := h.Log.Warn().Str("pusher", Pusher(h.Getenv)).Int("credentials", len(fs))
	if scanErr != nil {
		ev = ev.AnErr("scan_error", scanErr)
	}
	ev.Msg("pre-receive scan bypassed with push option " + SkipOption)
	PrintBypass(h.Stderr, fs)
}
