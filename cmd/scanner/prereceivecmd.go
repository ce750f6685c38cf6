package main

import (
	"context"
	"flag"
	"io"
	"os"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/cliflag"
	"github.com/scanner-dev/scanner/hookpolicy"
	"github.com/scanner-dev/scanner/logging"
	"github.com/scanner-dev/scanner/source"
)

// preReceiveOptions are the flags of "scanner pre-receive".
type preReceiveOptions struct {
	config    string
	allowSkip bool
	log       logging.Settings
	reading   source.Settings // --max-file-size and --workers only
}

func (o *preReceiveOptions) bind(fs *flag.FlagSet) {
	fs.StringVar(&o.config, "config", "", "TOML configuration: extra rules, overrides, allowlists (default: the built-in rules)")
	fs.BoolVar(&o.allowSkip, "allow-skip", false, "honour `git push -o "+hookpolicy.SkipOption+"` (also: git config "+hookpolicy.AllowSkipKey+" true in the receiving repository)")
	o.log.Bind(fs, "warn")
	fs.StringVar(&o.reading.MaxFileSize, "max-file-size", "", "skip blobs larger than this (e.g. 50MB; default: no limit)")
	fs.IntVar(&o.reading.Workers, "workers", 0, "goroutines running the detectors (default: number of CPUs)")
}

// runPreReceive is a pre-receive hook (see hookpolicy.Hook): it rejects a
// push that adds a credential (exit 1). Errors reject too (exit 2): a hook
// that cannot scan does not let pushes through.
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
	log, sopts, err := o.prepare(e.stderr)
	if err != nil {
		return exitError, err
	}
	hook := hookpolicy.Hook{Config: o.config, AllowSkip: o.allowSkip, Getenv: os.Getenv, Stderr: e.stderr, Log: log}
	accepted, err := hook.Run(ctx, cliflag.Operand(pos, "", "."), e.stdin, sopts)
	switch {
	case err != nil:
		return exitError, err
	case !accepted:
		return exitFindings, nil
	}
	return exitClean, nil
}

func (o *preReceiveOptions) prepare(stderr io.Writer) (zerolog.Logger, source.Options, error) {
	log, err := o.log.New(stderr)
	if err != nil {
		return log, source.Options{}, err
	}
	sopts, err := o.reading.Options(log)
	return log, sopts, err
}
