package ghaction

import (
	"fmt"
	"io"
	"strings"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/report"
)

// maxRows bounds the table: a step summary holds at most 1 MiB and a comment
// 65,536 characters.
const maxRows = 100

// Markdown renders the report for people: a heading with the counts, what
// was scanned, and a table of the findings (credentials redacted). Every
// piece of text the repository controls is escaped.
func Markdown(rep *report.Report, scanned string) string {
	var b strings.Builder
	n, live := len(rep.Findings), CountLive(rep.Findings)
	switch {
	case n == 0:
		b.WriteString("### Secret scan: no leaked credentials\n\n")
	case live > 0:
		fmt.Fprintf(&b, "### Secret scan: %d leaked credential(s), %d live\n\n", n, live)
	default:
		fmt.Fprintf(&b, "### Secret scan: %d leaked credential(s)\n\n", n)
	}
	fmt.Fprintf(&b, "Scanned %s (%d commits, %d blobs).", mdText(scanned), rep.Stats.Commits, rep.Stats.Blobs)
	if s := suppressed(rep.Stats); s > 0 {
		fmt.Fprintf(&b, " %d finding(s) hidden by allow comments, the configuration or the baseline.", s)
	}
	b.WriteString("\n")
	if n == 0 {
		return b.String()
	}
	b.WriteString("\n| Severity | Finding | Location | Commit | Credential | Validation |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- |\n")
	for i, f := range rep.Findings {
		if i == maxRows {
			fmt.Fprintf(&b, "\n%d more not shown: see the JSON or SARIF report.\n", n-maxRows)
			break
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", f.Severity, mdText(f.Description),
			mdCode(location(f)), mdCode(short(f.Commit)), mdCode(f.Redacted()), validation(f))
	}
	b.WriteString("\nRemove each credential, roll it at its provider (the old value stays in the git history) and load it from a secret store.\n")
	return b.String()
}

// WriteWarnings appends to the step summary what failed after the findings
// were reported (remediation, the comment), one escaped line each.
func WriteWarnings(w io.Writer, warnings []string) error {
	var b strings.Builder
	b.WriteString("#### Warnings\n\n")
	for _, m := range warnings {
		b.WriteString("- " + mdText(m) + "\n")
	}
	_, err := io.WriteString(w, b.String()+"\n")
	return err
}

// WriteSummary appends the Markdown report to the step summary.
func WriteSummary(w io.Writer, rep *report.Report, scanned string) error {
	_, err := io.WriteString(w, Markdown(rep, scanned)+"\n")
	return err
}

func location(f finding.Finding) string {
	if f.Line == 0 {
		return f.Path
	}
	return fmt.Sprintf("%s:%d", f.Path, f.Line)
}

func validation(f finding.Finding) string {
	if f.Validation == nil {
		return "not checked"
	}
	s := string(f.Validation.Status)
	if f.Validation.Status == finding.Live {
		s = "**live**"
	}
	if f.Validation.Tier != "" {
		s += " (" + mdText(f.Validation.Tier) + ")"
	}
	return s
}

func suppressed(st finding.Stats) int {
	n := 0
	for _, c := range st.Suppressed {
		n += c
	}
	return n
}

// mdText escapes text for a Markdown table cell: no HTML, no markup, no
// cell or row break.
func mdText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\r' || r == '\n' || r == '\t':
			b.WriteByte(' ')
		case isControl(r):
			fmt.Fprintf(&b, "\\\\x%02x", r) // a Markdown-escaped backslash: shows \x1b
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case strings.ContainsRune("\\`*_[]|~@", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdCode renders s as code in a table cell. GitHub still reads Markdown
// inside <code>, so the text is escaped as mdText does.
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	return "<code>" + mdText(s) + "</code>"
}
