package logging

import (
	"fmt"
	"io"
	"os"

	"github.com/mattn/go-isatty"
	"github.com/rs/zerolog"
)

// New builds the logger of a run on w: level is debug, info, warn or error;
// format is text (without colour) or json. The logger may be used from several goroutines.
func New(w io.Writer, level, format string) (zerolog.Logger, error) {
	w = zerolog.SyncWriter(w) // the sweep and the detectors log from several goroutines
	lvl, err := zerolog.ParseLevel(level)
	if err != nil || level == "" {
		return zerolog.Nop(), fmt.Errorf("unknown --log-level %q", level)
	}
	switch format {
	case "json":
		return zerolog.New(w).Level(lvl).With().Timestamp().Logger(), nil
	case "text":
		// no colour: the CLI's logger never had any (it asked a writer
		// already wrapped whether it was a terminal)
		cw := zerolog.ConsoleWriter{Out: w, NoColor: true, TimeFormat: "15:04:05"}
		return zerolog.New(cw).Level(lvl).With().Timestamp().Logger(), nil
	}
	return zerolog.Nop(), fmt.Errorf("unknown --log-format %q (want text or json)", format)
}

// Color reports whether w may be written in colour: it is a terminal and
// NO_COLOR is not set.
func Color(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd()) && os.Getenv("NO_COLOR") == ""
}
