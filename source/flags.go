package source

import (
	"errors"
	"flag"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/cliflag"
)

// Settings are the reading flags every scanning command takes.
type Settings struct {
	MaxFileSize string // --max-file-size, as cliflag.ParseSize reads it
	MaxTargetMB int    // gitleaks' --max-target-megabytes
	ScanBinary  bool   // --scan-binary
	Workers     int    // --workers (0: number of CPUs)
}

// Bind binds the reading flags, with gitleaks' --max-target-megabytes,
// into s.
func (s *Settings) Bind(fs *flag.FlagSet) {
	fs.StringVar(&s.MaxFileSize, "max-file-size", "", "skip files and blobs larger than this (e.g. 50MB; default: no limit)")
	fs.IntVar(&s.MaxTargetMB, "max-target-megabytes", 0, "skip files and blobs larger than this many MB (gitleaks' spelling of --max-file-size)")
	fs.BoolVar(&s.ScanBinary, "scan-binary", false, "scan content that looks binary instead of skipping it")
	fs.Var(cliflag.PositiveInt{N: &s.Workers}, "workers", "goroutines running the detectors (default: number of CPUs)")
}

// Options are the source options the settings ask for, logging to log.
// It refuses a size limit that cannot be read.
func (s Settings) Options(log zerolog.Logger) (Options, error) {
	size, err := cliflag.SizeLimit(s.MaxFileSize, s.MaxTargetMB)
	if err != nil {
		return Options{}, err
	}
	return Options{MaxFileSize: size, ScanBinary: s.ScanBinary, Workers: s.Workers, Log: log}, nil
}

// Bind binds what a git run may be asked to scan into w: --range,
// --staged, --pre-commit and gitleaks' --log-opts.
func (w *Want) Bind(fs *flag.FlagSet) {
	fs.StringVar(&w.Range, "range", "", "only what the commits of BASE..HEAD added")
	fs.BoolVar(&w.Staged, "staged", false, "only what is staged in the index against HEAD")
	fs.StringVar(&w.LogOpts, "log-opts", "", "gitleaks' spelling of --range: a revision range A..B (or --all); other git log options are refused")
	fs.BoolVar(&w.PreCommit, "pre-commit", false, "run as a pre-commit hook (see README): every tracked file when nothing is staged (pre-commit run --all-files), PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF when set, advice when blocking")
}

// Check refuses a want whose flags contradict each other.
func (w Want) Check() error {
	if w.Staged && w.Range != "" {
		return errors.New("--staged and --range cannot be combined")
	}
	if w.LogOpts != "" && (w.Range != "" || w.Staged) {
		return errors.New("--log-opts cannot be combined with --range or --staged")
	}
	return nil
}

// rangeAsked is the range the flags name: --range, else gitleaks' --log-opts,
// which a pre-commit hook does not read (see Repo.Select).
func (w Want) rangeAsked() (string, error) {
	if w.LogOpts == "" || w.PreCommit {
		return w.Range, nil
	}
	return cliflag.LogOpts(w.LogOpts)
}
