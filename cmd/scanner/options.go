package main

import (
	"flag"
	"io"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/logging"
	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/remediate"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/scanconfig"
	"github.com/scanner-dev/scanner/source"
	"github.com/scanner-dev/scanner/validate"
)

// scanOptions are the flags every scanning command takes.
type scanOptions struct {
	log      logging.Settings
	leakExit int // --exit-code: the exit status of a run with findings
	// inlineAllowLive lets a scanner:allow comment hide a live credential.
	inlineAllowLive bool
	report          report.Settings
	reading         source.Settings    // --max-file-size, --scan-binary, --workers
	watch           pipeline.Watch     // --no-progress, --explain, --verbose, --timeout
	cfg             scanconfig.Options // --config, --baseline, --enable-rule
	validate        validate.Settings
	remediation     remediate.Settings
}

func (o *scanOptions) bind(fs *flag.FlagSet) {
	o.report.Bind(fs)
	o.log.Bind(fs, "info")
	o.reading.Bind(fs)
	o.watch.Bind(fs)
	fs.BoolVar(&o.inlineAllowLive, "inline-allow-live", false, "let a scanner:allow comment hide a credential that validates live (by default a live one is still reported)")
	o.cfg.Bind(fs)
	o.validate.Bind(fs, "any")
	o.remediation.Bind(fs)
	o.bindCompat(fs)
}

// prepare checks the options and builds the logger and the source options.
func (o *scanOptions) prepare(stderr io.Writer) (zerolog.Logger, source.Options, error) {
	log, err := o.log.New(stderr)
	if err == nil {
		err = o.report.Check()
	}
	if err != nil {
		return log, source.Options{}, err
	}
	sopts, err := o.reading.Options(log)
	if err == nil {
		err = o.validate.Check()
	}
	if err == nil {
		err = o.remediation.CheckFlags(o.validate.Enabled)
	}
	sopts.WalkOnMark = true // pipeline.Scan marks the content that has findings
	return log, sopts, err
}
