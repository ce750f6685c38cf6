// Package logging builds the one logger of a run, on stderr: the level and
// format the user asked for (--log-level, --log-format, bound into Settings
// by Settings.Bind). It also says whether a writer may be written in colour
// (Color), for the text report.
//
// It imports zerolog and go-isatty, nothing of the scanner's own.
package logging
