package remediate

import (
	"fmt"
	"strings"

	"github.com/scanner-dev/scanner/finding"
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
	if reach := reachText(inc); reach != "" {
		b.WriteString("### What it reaches\n\n" + reach + "\n\n")
	}
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

// maxReachIDs bounds the workspace ids an issue lists.
const maxReachIDs = 50

// reachText says what the live credential reaches, from its validation:
// the Crisp workspaces a token reaches (website ids are public), or the
// Kustomer organisation, roles and expiry of a key; "" when not looked up.
func reachText(inc *Incident) string {
	v := inc.Finding.Validation
	if v == nil || v.Reach == nil {
		return ""
	}
	re := v.Reach
	if re.Websites > 0 || len(re.WebsiteIDs) > 0 {
		return crispReach(re)
	}
	if re.Org == "" && len(re.Roles) == 0 && re.Expires.IsZero() {
		return ""
	}
	var b strings.Builder
	b.WriteString("This key belongs to the Kustomer organisation")
	if re.Org != "" {
		fmt.Fprintf(&b, " `%s`", plain(re.Org))
	}
	if len(re.Roles) > 0 {
		roles := make([]string, len(re.Roles))
		for i, r := range re.Roles {
			roles[i] = "`" + plain(r) + "`"
		}
		b.WriteString(" with the roles " + strings.Join(roles, ", "))
	}
	if re.Expires.IsZero() {
		b.WriteString("; it never expires.")
	} else {
		fmt.Fprintf(&b, "; it expires %s.", re.Expires.UTC().Format("2006-01-02 15:04 MST"))
	}
	b.WriteString(" After deleting it, check the organisation's audit log for what those roles allow.")
	return b.String()
}

func crispReach(re *finding.Reach) string {
	n := max(re.Websites, len(re.WebsiteIDs))
	least := ""
	if re.Partial {
		least = "at least "
	}
	var b strings.Builder
	fmt.Fprintf(&b, "This token reaches %s%d workspace(s)", least, n)
	if len(re.WebsiteIDs) > 0 {
		ids := make([]string, 0, min(len(re.WebsiteIDs), maxReachIDs))
		for _, id := range re.WebsiteIDs[:min(len(re.WebsiteIDs), maxReachIDs)] {
			ids = append(ids, "`"+plain(id)+"`")
		}
		b.WriteString(": " + strings.Join(ids, ", "))
		if more := len(re.WebsiteIDs) - len(ids); more > 0 {
			fmt.Fprintf(&b, " and %d more", more)
		}
	}
	b.WriteString(". After rolling it, check each workspace's conversations, operators and plugins for activity you do not recognise.")
	return b.String()
}

// plain keeps the characters an id, an org name or a role may hold, so a
// provider's answer cannot write markdown into the issue.
func plain(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' || r == ':' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') {
			return r
		}
		return -1
	}, s)
}
