package logging

import (
	"flag"
	"io"

	"github.com/rs/zerolog"
)

// Settings are the logging flags of a command.
type Settings struct {
	Level  string // --log-level: debug, info, warn or error
	Format string // --log-format: text or json
}

// Bind binds --log-level, defaulting to level, and --log-format into s.
func (s *Settings) Bind(fs *flag.FlagSet, level string) {
	fs.StringVar(&s.Level, "log-level", level, "log level: debug, info, warn, error")
	fs.StringVar(&s.Format, "log-format", "text", "log format on stderr: text or json")
}

// New builds the logger the settings ask for on w (see New).
func (s Settings) New(w io.Writer) (zerolog.Logger, error) {
	return New(w, s.Level, s.Format)
}
