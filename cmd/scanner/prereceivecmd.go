package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/cliflag"
	"github.com/scanner-dev/scanner/detect"
	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/hookpolicy"
	"github.com/scanner-dev/scanner/logging"
	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/rules"
	"github.com/scanner-dev/scanner/source"
)

// preReceiveOptions are the flags of "scanner pre-receive".
type preReceiveOptions struct {
	config      string
	allowSkip   bool
	logLevel    string
	logFormat   string
	maxFileSize string
	workers     int
}

func (o *preReceiveOptions) bind(fs *flag.FlagSet) {
	fs.StringVar(&o.config, "config", "", "TOML configuration: extra rules, overrides, allowlists (default: the built-in rules)")
	fs.BoolVar(&o.allowSkip, "allow-skip", false, "honour `git push -o "+hookpolicy.SkipOption+"` (also: git config "+hookpolicy.AllowSkipKey+" true in the receiving repository)")
	fs.StringVar(&o.logLevel, "log-level", "warn", "log level: debug, info, warn, error")
	fs.StringVar(&o.logFormat, "log-format", "text", "log format on stderr: text or json")
	fs.StringVar(&o.maxFileSize, "max-file-size", "", "skip blobs larger than this (e.g. 50MB; default: no limit)")
	fs.IntVar(&o.workers, "workers", 0, "goroutines running the detectors (default: number of CPUs)")
}

// runPreReceive is a pre-receive hook: it reads git's "<old> <new> <ref>"
// lines on stdin in the receiving repository, scans what the push adds,
// and rejects it (exit 1) when that holds a credential. Errors reject too
// (exit 2): a hook that cannot scan does not let pushes through.
func runPreReceive(ctx context.Context, args []string, e env) (int, error) {
	var o preReceiveOptions
	fs := cliflag.New("pre-receive", "[REPOSITORY] (default: the hook's own, .)", e.stdout)
	o.bind(fs)
	pos, err := cliflag.Parse(fs, args)
	if err != nil {
		return exitError, err
	}
	if len(pos) > 1 {
		return exitError, usageError{"pre-receive takes at most one repository path"}
	}
	path := "."
	if len(pos) == 1 {
		path = pos[0]
	}
	log, sopts, err := o.prepare(e.stderr)
	if err != nil {
		return exitError, err
	}
	updates, err := source.ParseRefUpdates(e.stdin)
	if err != nil {
		return exitError, err
	}
	repo, err := source.OpenRepo(ctx, path, sopts)
	if err != nil {
		return exitError, err
	}
	skip := o.skipAllowed(ctx, repo, e.stderr, log)
	res, err := o.scanPush(ctx, repo, updates, log)
	if skip {
		return bypassed(res, err, e.stderr, log), nil
	}
	if err != nil {
		return exitError, err
	}
	if len(res.Findings) == 0 {
		return exitClean, nil
	}
	hookpolicy.PrintRejection(e.stderr, res.Findings, o.allowSkip || configAllowsSkip(ctx, repo))
	return exitFindings, nil
}

func (o *preReceiveOptions) prepare(stderr io.Writer) (zerolog.Logger, source.Options, error) {
	log, err := logging.New(stderr, o.logLevel, o.logFormat)
	if err != nil {
		return log, source.Options{}, err
	}
	size, err := cliflag.ParseSize(o.maxFileSize)
	if err != nil {
		return log, source.Options{}, usageError{"--max-file-size: " + err.Error()}
	}
	return log, source.Options{MaxFileSize: size, Workers: o.workers, Log: log}, nil
}

// scanPush runs the pipeline over what the push adds. An interrupted scan
// is an error: a push is let through only when all of it was read.
func (o *preReceiveOptions) scanPush(ctx context.Context, repo *source.Repo, updates []source.RefUpdate, log zerolog.Logger) (*pipeline.Result, error) {
	set, err := rulesFile(o.config)
	if err != nil {
		return nil, err
	}
	src, err := repo.Pushed(ctx, updates)
	if err != nil {
		return nil, err
	}
	res, err := pipeline.Run(ctx, pipeline.Input{Source: src, Detector: detect.New(set), Log: log})
	if err == nil && res.Stats.Incomplete {
		err = fmt.Errorf("the scan of the push was interrupted")
	}
	return res, err
}

// rulesFile loads the rules of a configuration file, else the built-in
// ones: the server-side commands read no tree's own configuration.
func rulesFile(config string) (*rules.Set, error) {
	if config == "" {
		return rules.Default()
	}
	return rules.LoadConfig(config)
}

// skipAllowed reports whether the pusher asked for hookpolicy.SkipOption and the server
// allows it; a request the server does not allow is answered and ignored.
func (o *preReceiveOptions) skipAllowed(ctx context.Context, repo *source.Repo, stderr io.Writer, log zerolog.Logger) bool {
	if !hookpolicy.PushOptionSet(os.Getenv, hookpolicy.SkipOption) {
		return false
	}
	if o.allowSkip || configAllowsSkip(ctx, repo) {
		return true
	}
	log.Info().Str("pusher", hookpolicy.Pusher(os.Getenv)).Msg("push option " + hookpolicy.SkipOption + " refused: not allowed here")
	hookpolicy.PrintRefusedSkip(stderr)
	return false
}

func configAllowsSkip(ctx context.Context, repo *source.Repo) bool {
	ok, err := repo.ConfigBool(ctx, hookpolicy.AllowSkipKey)
	return err == nil && ok
}

// bypassed lets a push through that the pusher asked to skip, saying so on
// stderr and in the log, with what the scan would have blocked (redacted).
func bypassed(res *pipeline.Result, scanErr error, stderr io.Writer, log zerolog.Logger) int {
	var fs []finding.Finding
	if res != nil {
		fs = res.Findings
	}
	ev := log.Warn().Str("pusher", hookpolicy.Pusher(os.Getenv)).Int("credentials", len(fs))
	if scanErr != nil {
		ev = ev.AnErr("scan_error", scanErr)
	}
	ev.Msg("pre-receive scan bypassed with push option " + hookpolicy.SkipOption)
	hookpolicy.PrintBypass(stderr, fs)
	return exitClean
}

// gitModes are commands of their own that "scanner git" also takes as a
// flag: "scanner git --pre-receive", "scanner git --verify-purged REPORT".
var gitModes = map[string]func(context.Context, []string, env) (int, error){
	"pre-receive":   runPreReceive,
	"verify-purged": runVerifyPurged,
}

// gitMode finds a gitModes flag among the git command's arguments (before
// any "--") and returns its command and the other arguments; a value given
// as --verify-purged=REPORT comes first among them.
func gitMode(args []string) (func(context.Context, []string, env) (int, error), []string, bool) {
	name, rest, ok := cliflag.FindMode(args, "pre-receive", "verify-purged")
	return gitModes[name], rest, ok
}
