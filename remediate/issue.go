package remediate

import (
	"fmt"
	"strings"
)

// Marker is the hidden line that ties an issue to an incident, so that a
// re-run finds the issue instead of opening another.
func Marker(fingerprint string) string { return "<!-- scanner:incident " + fingerprint + " -->" }

// DefaultLabels label the issues when the configuration names none.
var DefaultLabels = []string{"security", "leaked-credential"}

func issueTitle(inc *Incident) string {
	kind := inc.Provider
	if inc.Tier != "" {
		kind += " " + inc.Tier
	}
	where := ""
	if len(inc.Locations) > 0 {
		where = " in " + inc.Locations[0].Path
	}
	return fmt.Sprintf("Leaked %s credential%s (%s)", kind, where, inc.Status)
}

// issueBody renders the issue: what leaked (redacted), where, who owns it,
// how to roll it, and the marker. Never the raw credential.
func issueBody(it *Item) string {
	inc := &it.Incident
	var b strings.Builder
	b.WriteString(Marker(inc.Fingerprint) + "\n")
	fmt.Fprintf(&b, "## A %s credential leaked into this repository\n\n", inc.Provider)
	fmt.Fprintf(&b, "The scanner found a credential that answers **%s** with its provider. ", inc.Status)
	b.WriteString("Roll it now: removing it from the code does not help, it stays in the history.\n\n")
	fmt.Fprintf(&b, "| | |\n|---|---|\n| Provider | %s |\n| Tier | %s |\n| Rule | `%s` |\n", inc.Provider, tierOr(inc.Tier), inc.RuleID)
	fmt.Fprintf(&b, "| Credential (redacted) | `%s` |\n| Fingerprint | `%s` |\n\n", orDash(inc.Redacted), inc.Fingerprint)
	b.WriteString("### Where\n\n")
	for _, l := range inc.Locations {
		fmt.Fprintf(&b, "- `%s` line %d", l.Path, l.Line)
		if l.Commit != "" {
			fmt.Fprintf(&b, ", commit %s", l.Commit)
		}
		if l.AuthorName != "" {
			fmt.Fprintf(&b, " by %s", l.AuthorName)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "\n### Owners\n\n%s\n\n### Roll the credential\n\n", ownerList(it.Owners))
	for i, s := range it.Roll {
		fmt.Fprintf(&b, "%d. %s\n", i+1, s)
	}
	b.WriteString("\nThen run `scanner remediate --recheck`: this issue closes once the provider refuses the credential.\n")
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// assignees are the GitHub users among the owners (teams are mentioned in
// the body; GitHub cannot assign a team).
func assignees(os []Owner) []string {
	var out []string
	for _, o := range os {
		if u := o.User(); u != "" {
			out = append(out, u)
		}
	}
	return out
}

func mentions(os []Owner) string {
	var s []string
	for _, o := range os {
		if strings.HasPrefix(o.Handle, "@") {
			s = append(s, o.Handle)
		}
	}
	return strings.Join(s, " ")
}
