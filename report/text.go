package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/scanner-dev/scanner/finding"
)

const (
	ansiReset = "\x1b[0m"
	ansiBold  = "\x1b[1m"
	ansiDim   = "\x1b[2m"
	ansiRed   = "\x1b[31m"
	ansiYel   = "\x1b[33m"
	ansiCyan  = "\x1b[36m"
)

// WriteText writes findings for people: where, what, the redacted value, who
// introduced it, then a summary line.
func WriteText(w io.Writer, r *Report, opts Options) error {
	p := &textPrinter{w: w, color: opts.Color}
	for _, f := range r.Findings {
		p.finding(f, opts.ShowSecrets)
	}
	p.summary(r)
	return p.err
}

type textPrinter struct {
	w     io.Writer
	color bool
	err   error
}

func (p *textPrinter) printf(format string, a ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, a...)
	}
}

func (p *textPrinter) paint(code, s string) string {
	if !p.color {
		return s
	}
	return code + s + ansiReset
}

func (p *textPrinter) finding(f finding.Finding, raw bool) {
	sev := p.paint(severityColor(f.Severity), string(f.Severity))
	where := printable(f.Path)
	if f.Repository != "" {
		where = printable(f.Repository) + ":" + where
	}
	p.printf("%s:%d:%d  %s  %s\n", p.paint(ansiBold, where), f.Line, f.Column, sev, f.RuleID)
	p.printf("    %s\n", f.Description)
	secret := f.Redacted()
	if raw {
		secret = rawSecret(f)
	}
	p.printf("    secret  %s\n", secret)
	if f.Commit != "" {
		p.printf("    commit  %s  %s <%s>  %s\n", p.paint(ansiCyan, short(f.Commit)), printable(f.AuthorName), printable(f.AuthorEmail), f.Date.Format("2006-01-02"))
	}
	if f.TierHint != "" || len(f.WebsiteIDs) > 0 {
		p.printf("    tier    %s", orDash(f.TierHint))
		if len(f.WebsiteIDs) > 0 {
			p.printf("  website ids: %s", strings.Join(f.WebsiteIDs, ", "))
		}
		p.printf("\n")
	}
	if len(f.Details) > 0 {
		p.printf("    details %s\n", details(f.Details))
	}
	if v := f.Validation; v != nil {
		p.printf("    status  %s", p.paint(statusColor(v.Status), string(v.Status)))
		if v.Tier != "" {
			p.printf(" (%s tier)", v.Tier)
		}
		if v.Detail != "" {
			p.printf(": %s", v.Detail)
		}
		p.printf("\n")
	}
	p.printf("\n")
}

func rawSecret(f finding.Finding) string {
	s := make([]string, len(f.Parts))
	for i, part := range f.Parts {
		s[i] = part.Value.Reveal()
	}
	return strings.Join(s, ":")
}

func details(d map[string]string) string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + d[k]
	}
	return strings.Join(parts, " ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func severityColor(s finding.Severity) string {
	switch {
	case s.Rank() >= finding.High.Rank():
		return ansiRed
	case s == finding.Medium:
		return ansiYel
	}
	return ansiDim
}

func statusColor(s finding.Status) string {
	switch s {
	case finding.Live:
		return ansiRed
	case finding.Invalid:
		return ansiDim
	}
	return ansiYel
}

func (p *textPrinter) summary(r *Report) {
	s := r.Stats
	n := len(r.Findings)
	word := "findings"
	if n == 1 {
		word = "finding"
	}
	p.printf("%d %s", n, word)
	if n > 0 {
		p.printf(" (%s)", bySeverity(r.Findings))
	}
	p.printf(" in %d blobs, %s", s.Blobs, humanBytes(s.Bytes))
	if s.Commits > 0 {
		p.printf(", %d commits", s.Commits)
	}
	p.printf(", %s", s.Duration.Round(time.Millisecond))
	if total := suppressedTotal(s.Suppressed); total > 0 {
		p.printf("; %d suppressed", total)
	}
	if s.SkippedBinary+s.SkippedLarge > 0 {
		p.printf("; skipped %d binary, %d too large", s.SkippedBinary, s.SkippedLarge)
	}
	if s.Warnings > 0 {
		p.printf("; %d warnings (see the log)", s.Warnings)
	}
	p.printf("\n")
}

func bySeverity(fs []finding.Finding) string {
	count := map[finding.Severity]int{}
	for _, f := range fs {
		count[f.Severity]++
	}
	var parts []string
	for _, s := range []finding.Severity{finding.Critical, finding.High, finding.Medium, finding.Low, finding.Info} {
		if count[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", count[s], s))
		}
	}
	return strings.Join(parts, ", ")
}

func suppressedTotal(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// printable quotes text that comes from the scanned content (paths, author
// names) when it holds control characters, so that a file name with a
// newline or an escape sequence cannot forge report lines or drive the
// terminal.
func printable(s string) string {
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\u202e' {
			return strconv.Quote(s)
		}
	}
	return s
}
