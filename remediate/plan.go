package remediate

import (
	"fmt"
	"io"
	"strings"

	"github.com/scanner-dev/scanner/finding"
)

// Incident is one leaked credential: every location of one fingerprint.
type Incident struct {
	Fingerprint string
	Provider    string
	RuleID      string
	Description string
	Tier        string // the tier validation saw, else the context's hint
	Status      finding.Status
	Redacted    string
	Repository  string // owner/name of the affected repository
	Locations   []finding.Location
	Finding     finding.Finding // the first finding, whose parts hooks and revocation use
}

// Owner is someone to alert: a GitHub user or team ("@login",
// "@org/team") or an email address.
type Owner struct {
	Handle string `json:"handle"`
	Source string `json:"source"` // "codeowners" or "author"
}

// Team reports whether the owner is a GitHub team (mentioned, never assigned).
func (o Owner) Team() bool {
	return strings.HasPrefix(o.Handle, "@") && strings.Contains(o.Handle, "/")
}

// User returns the GitHub login of a user owner, or "".
func (o Owner) User() string {
	if strings.HasPrefix(o.Handle, "@") && !o.Team() {
		return strings.TrimPrefix(o.Handle, "@")
	}
	return ""
}

// Item is one incident of a plan and what its alerts say: the owners and
// the manual roll instructions.
type Item struct {
	Incident Incident
	Owners   []Owner
	Roll     []string // the manual roll instructions
	Notes    []string // what the plan leaves out and why (a revocation without --revoke)
}

// Plan is the program remediation runs: the incidents, and the steps to
// carry out, in order. DryRun prints exactly these steps; Apply runs exactly
// these steps.
type Plan struct {
	Items []Item
	Steps []Step
}

// stepsOf returns the steps of item i, in order.
func (p *Plan) stepsOf(i int) []Step {
	var out []Step
	for _, s := range p.Steps {
		if s.Item == i {
			out = append(out, s)
		}
	}
	return out
}

// Group gathers findings into incidents by fingerprint, keeping those whose
// validation status is in statuses. Suppressed findings are skipped.
func Group(fs []finding.Finding, repository string, statuses ...finding.Status) []Incident {
	want := map[finding.Status]bool{}
	for _, s := range statuses {
		want[s] = true
	}
	byFP := map[string]*Incident{}
	var order []string
	for _, f := range fs {
		if f.Suppressed != "" || f.Validation == nil || !want[f.Validation.Status] || f.Fingerprint == "" {
			continue
		}
		inc := byFP[f.Fingerprint]
		if inc == nil {
			inc = &Incident{Fingerprint: f.Fingerprint, Provider: f.Provider, RuleID: f.RuleID,
				Description: f.Description, Tier: f.Validation.Tier, Status: f.Validation.Status,
				Redacted: f.Redacted(), Repository: repository, Finding: f}
			if inc.Tier == "" {
				inc.Tier = f.TierHint
			}
			if f.Repository != "" {
				inc.Repository = f.Repository
			}
			byFP[f.Fingerprint] = inc
			order = append(order, f.Fingerprint)
		}
		inc.Locations = append(inc.Locations, f.Location)
	}
	out := make([]Incident, 0, len(order))
	for _, fp := range order {
		out = append(out, *byFP[fp])
	}
	return out
}

// RollSteps returns the manual steps that roll a credential of provider and
// tier. Crisp has no public API to roll a token, so its steps are the ones
// its documentation gives, per tier.
func RollSteps(provider, tier string) []string {
	plugin := []string{
		"Sign in to the Crisp Marketplace (marketplace.crisp.chat) with the plugin's Marketplace account.",
		"Go to Plugins, open the plugin, then the Tokens tab.",
		"Roll the production token (and the development one if it leaked too): the previous token is invalidated at once.",
		"Put the new token in the integration's secret store, never in the repository.",
	}
	website := []string{
		"Open the Crisp app (app.crisp.chat) as a workspace owner.",
		"Go to Settings -> Workspace Settings -> Advanced configuration -> API Token.",
		"Regenerate the token: the previous one is invalidated at once.",
		"Put the new token in the integration's secret store, never in the repository.",
	}
	switch provider {
	case "crisp":
		switch tier {
		case "plugin":
			return plugin
		case "website":
			return website
		}
		return append(append([]string{"The tier is unknown: if it is a plugin token:"}, plugin...),
			append([]string{"If it is a website token:"}, website...)...)
	case "kustomer":
		return []string{
			"Delete the key: Kustomer Settings -> Security -> API Keys, or `scanner remediate --revoke` (DELETE /v1/auth/tokens/current).",
			"Create a new key with the same roles and put it in the integration's secret store.",
		}
	}
	return []string{"Revoke the credential where it was issued and replace it with a new one kept out of the repository."}
}

// WritePlan prints the plan: each incident (redacted), its owners and roll
// instructions, and the numbered steps that Apply would run. It never
// prints a raw credential.
func WritePlan(w io.Writer, p *Plan) error {
	if len(p.Items) == 0 {
		_, err := fmt.Fprintln(w, "remediation plan: nothing to do")
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "remediation plan: %d incident(s), %d step(s)\n", len(p.Items), len(p.Steps))
	n := 0
	for i, it := range p.Items {
		inc := it.Incident
		fmt.Fprintf(&b, "\n%s %s (%s) %s %s\n", inc.Status, inc.Provider, tierOr(inc.Tier), inc.Redacted, inc.Fingerprint)
		for _, l := range inc.Locations {
			fmt.Fprintf(&b, "  at %s:%d %s\n", l.Path, l.Line, short(l.Commit))
		}
		fmt.Fprintf(&b, "  owners: %s\n  roll (manual, in every alert):\n", ownerList(it.Owners))
		for j, s := range it.Roll {
			fmt.Fprintf(&b, "    %d. %s\n", j+1, s)
		}
		for _, note := range it.Notes {
			fmt.Fprintf(&b, "  note: %s\n", note)
		}
		steps := p.stepsOf(i)
		if len(steps) == 0 {
			b.WriteString("  steps: none (all done by earlier runs)\n")
		}
		for _, s := range steps {
			n++
			fmt.Fprintf(&b, "  step %d: %s [%s]\n", n, s, s.Key)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func tierOr(t string) string {
	if t == "" {
		return "tier unknown"
	}
	return t
}

func short(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}

func ownerList(os []Owner) string {
	if len(os) == 0 {
		return "(none found)"
	}
	s := make([]string, len(os))
	for i, o := range os {
		s[i] = o.Handle
	}
	return strings.Join(s, " ")
}

// addOwner appends o unless an owner with the same handle is there.
func addOwner(os []Owner, o Owner) []Owner {
	for _, x := range os {
		if strings.EqualFold(x.Handle, o.Handle) {
			return os
		}
	}
	return append(os, o)
}
