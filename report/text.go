package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

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
	p.printf("%s:%d:%d  %s  %s\n", p.paint(ansiBold, where), f.Line, f.Column, sev, printable(f.RuleID))
	p.printf("    %s\n", printable(f.Description))
	secret := f.Redacted()
	if raw && len(f.Parts) > 0 {
		secret = rawSecret(f)
	}
	p.printf("    secret  %s\n", printable(secret))
	if f.Commit != "" {
		p.printf("    commit  %s  %s <%s>  %s\n", p.paint(ansiCyan, printable(short(f.Commit))), printable(f.AuthorName), printable(f.AuthorEmail), f.Date.Format("2006-01-02"))
	}
	if f.TierHint != "" || len(f.WebsiteIDs) > 0 {
		p.printf("    tier    %s", printable(orDash(f.TierHint)))
		if len(f.WebsiteIDs) > 0 {
			p.printf("  website ids: %s", printable(strings.Join(f.WebsiteIDs, ", ")))
		}
		p.printf("\n")
	}
	if len(f.Details) > 0 {
		p.printf("    details %s\n", printable(details(f.Details)))
	}
	p.validation(f.Validation)
	p.printf("\n")
}

func (p *textPrinter) validation(v *finding.Validation) {
	if v == nil {
		return
	}
	p.printf("    status  %s", p.paint(statusColor(v.Status), printable(string(v.Status))))
	if v.Tier != "" {
		p.printf(" (%s tier)", printable(v.Tier))
	}
	if v.Detail != "" {
		p.printf(": %s", printable(v.Detail))
	}
	p.printf("\n")
	if r := reachText(v.Reach); r != "" {
		p.printf("    reach   %s\n", printable(r))
	}
}

// reachText says what a live credential reaches, in one line: "reaches 14
// workspaces: id, id, ..." for Crisp, "reaches org acme with roles a, b;
// expires 2026-01-02" for Kustomer.
func reachText(r *finding.Reach) string {
	if r == nil {
		return ""
	}
	var parts []string
	if r.Websites > 0 || len(r.WebsiteIDs) > 0 {
		n := max(r.Websites, len(r.WebsiteIDs))
		s := fmt.Sprintf("reaches %d workspace%s", n, plural(n))
		if r.Partial {
			s = fmt.Sprintf("reaches at least %d workspace%s (the listing stopped early)", n, plural(n))
		}
		if ids := firstIDs(r.WebsiteIDs, 5); ids != "" {
			s += ": " + ids
		}
		parts = append(parts, s)
	}
	switch {
	case r.Org != "" && len(r.Roles) > 0:
		parts = append(parts, "reaches org "+r.Org+" with roles "+strings.Join(r.Roles, ", "))
	case r.Org != "":
		parts = append(parts, "reaches org "+r.Org)
	case len(r.Roles) > 0:
		parts = append(parts, "has roles "+strings.Join(r.Roles, ", "))
	}
	switch {
	case !r.Expires.IsZero():
		parts = append(parts, "expires "+r.Expires.UTC().Format("2006-01-02"))
	case r.Org != "" || len(r.Roles) > 0:
		parts = append(parts, "does not expire")
	}
	return strings.Join(parts, "; ")
}

func firstIDs(ids []string, n int) string {
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return strings.Join(ids[:n], ", ") + fmt.Sprintf(" and %d more", len(ids)-n)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
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
	p.blobs(s)
	p.printf("\n")
	p.providers(s.Providers)
	p.coverageSummary(r.Repositories)
}

// blobs tells of the history that could not all be read, and of a run that
// stopped early.
func (p *textPrinter) blobs(s finding.Stats) {
	if s.FetchedBlobs > 0 {
		p.printf("; %d blobs fetched from the promisor remote", s.FetchedBlobs)
	}
	if s.MissingBlobs > 0 {
		p.printf("; %d blobs missing (not scanned)", s.MissingBlobs)
	}
	if s.CorruptBlobs > 0 {
		p.printf("; %d blobs corrupt (not scanned)", s.CorruptBlobs)
	}
	if s.Incomplete {
		p.printf("; INCOMPLETE: the run stopped early, these are the findings so far")
	}
}

// providers tells what validation spent of each provider's budget.
func (p *textPrinter) providers(m map[string]finding.ProviderUsage) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		u := m[k]
		p.printf("validation %s: %d of %d requests", printable(k), u.Requests, u.Budget)
		if u.QuotaSpent {
			p.printf(", quota spent")
			if !u.QuotaResets.IsZero() {
				p.printf(" (resets %s)", u.QuotaResets.UTC().Format(time.RFC3339))
			}
		}
		if u.Skipped > 0 {
			p.printf(", %d credentials left unknown", u.Skipped)
		}
		p.printf("\n")
	}
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

// printable quotes text that comes from the scanned content (see
// finding.Printable).
func printable(s string) string { return finding.Printable(s) }
