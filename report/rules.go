package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/scanner-dev/scanner/rules"
)

// WriteRules lists the rules of set as a table: id, provider, severity,
// keywords, number of examples, the host of its live check, and the file
// it comes from.
func WriteRules(w io.Writer, set *rules.Set) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPROVIDER\tSEVERITY\tKEYWORDS\tEXAMPLES\tCHECK\tFROM")
	for _, r := range set.Rules {
		check := "-"
		if r.Check != nil {
			check = r.Check.Host()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", r.ID, dash(r.Provider), r.Severity,
			dash(strings.Join(r.Keywords, ",")), len(r.Examples), check, r.Origin)
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
