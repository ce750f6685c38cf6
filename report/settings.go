package report

import (
	"flag"
	"io"
	"strings"
)

// Settings are the report flags every scanning command takes.
type Settings struct {
	Format      string // --report-format (gitleaks: -f, --format)
	Path        string // --report-path (gitleaks: -r): a file instead of stdout ("" or "-")
	ShowSecrets bool   // --show-secrets
	NoColor     bool   // --no-color
}

// Bind binds the report flags, with gitleaks' spellings, into s.
func (s *Settings) Bind(fs *flag.FlagSet) {
	fs.StringVar(&s.Format, "report-format", "text", "report format: "+strings.Join(Formats, ", "))
	fs.StringVar(&s.Format, "f", "text", "short for --report-format")
	fs.StringVar(&s.Format, "format", "text", "same as --report-format")
	fs.StringVar(&s.Path, "report-path", "", "write the report to this file instead of stdout")
	fs.StringVar(&s.Path, "r", "", "short for --report-path ('-' is stdout)")
	fs.BoolVar(&s.ShowSecrets, "show-secrets", false, "show raw credential values in the report (redacted by default)")
	fs.BoolVar(&s.NoColor, "no-color", false, "no colour in text output")
}

// Check refuses an unknown format before anything is scanned.
func (s Settings) Check() error { return CheckFormat(s.Format) }

// Write writes rep as the settings ask, to stdout unless Path names a file.
// Text on stdout is coloured when terminal says stdout takes colour and
// --no-color is not given; warn is told what a format left out.
func (s Settings) Write(stdout io.Writer, rep *Report, terminal bool, warn func(string)) error {
	color := s.Path == "" && !s.NoColor && terminal
	return WriteTo(s.Path, stdout, s.Format, rep, Options{ShowSecrets: s.ShowSecrets, Color: color, Warn: warn})
}
