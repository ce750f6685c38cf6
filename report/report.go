package report

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/scanner-dev/scanner/finding"
)

// SchemaVersion is the version of the JSON report written by WriteJSON.
const SchemaVersion = 1

// Report is the result of one run.
type Report struct {
	Tool     Tool
	Target   Target
	Findings []finding.Finding
	Stats    finding.Stats
	// Repositories is the coverage of an organisation sweep: every
	// repository considered and what was done with it. Nil for other runs.
	Repositories []Repository
}

// Tool names the program that made the report.
type Tool struct {
	Name    string
	Version string
}

// Target says what was scanned: the command ("git", "dir", "stdin"), the path
// and, for --range and --staged runs, which part of the history.
type Target struct {
	Kind  string
	Path  string
	Range string
}

// Options change how a report is rendered.
type Options struct {
	// ShowSecrets writes raw credential values (--show-secrets).
	ShowSecrets bool
	// Color uses ANSI colours in text output.
	Color bool
	// Warn is told of what a format had to leave out (the SARIF results
	// past GitHub's limit). Nil: no one is told.
	Warn func(msg string)
}

func (o Options) warn(format string, a ...any) {
	if o.Warn != nil {
		o.Warn(fmt.Sprintf(format, a...))
	}
}

// Formats lists the formats Write accepts.
var Formats = []string{"text", "json", "sarif", "csv", "junit"}

// Write renders the report in format (one of Formats).
func Write(w io.Writer, format string, r *Report, opts Options) error {
	switch format {
	case "text":
		return WriteText(w, r, opts)
	case "json":
		return WriteJSON(w, r, opts)
	case "sarif":
		return writeSARIF(w, r, opts)
	case "csv":
		return WriteCSV(w, r, opts)
	case "junit":
		return WriteJUnit(w, r)
	}
	return fmt.Errorf("unknown report format %q (want %s)", format, strings.Join(Formats, ", "))
}

// ValidFormat reports whether Write accepts format.
func ValidFormat(format string) bool { return slices.Contains(Formats, format) }

// Sort orders findings by path, line, column and rule, so reports are stable.
func Sort(fs []finding.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		switch {
		case a.Repository != b.Repository:
			return a.Repository < b.Repository
		case a.Path != b.Path:
			return a.Path < b.Path
		case a.Line != b.Line:
			return a.Line < b.Line
		case a.Column != b.Column:
			return a.Column < b.Column
		}
		return a.RuleID < b.RuleID
	})
}
