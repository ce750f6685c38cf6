package report

import (
	"fmt"
	"io"
	"sort"

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
}

// Formats lists the formats Write accepts.
var Formats = []string{"text", "json", "sarif"}

// Write renders the report in format ("text", "json" or "sarif").
func Write(w io.Writer, format string, r *Report, opts Options) error {
	switch format {
	case "text":
		return WriteText(w, r, opts)
	case "json":
		return WriteJSON(w, r, opts)
	case "sarif":
		return WriteSARIF(w, r)
	}
	return fmt.Errorf("unknown report format %q (want text, json or sarif)", format)
}

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
