package remediate

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
)

// Options configure a Remediator. Every outbound client is injected.
type Options struct {
	Ledger      *Ledger
	GitHub      *GitHub     // nil: no issue channel
	PullRequest PullRequest // set in pull-request runs: review comments on the lines
	CodeOwners  *CodeOwners
	Config      *Config
	HTTP        *http.Client
	Revoke      bool          // really call revocation APIs (Kustomer)
	KustomerURL string        // KUSTOMER_API_URL
	Backoff     time.Duration // first wait of webhook retries and of a repeated issue creation (default 1s)
	// ClaimLease is how long a run's claim on a step (the incident's issue)
	// holds before another run may take it over (default 10 minutes): a run
	// that crashed between claim and call does not block the incident.
	ClaimLease time.Duration
	// ClaimWait is how long a run waits for another run that holds the claim
	// on an incident's issue to record its number (default 30 seconds).
	ClaimWait time.Duration
	Now       func() time.Time
	Log       zerolog.Logger
}

// Remediator plans and applies remediation and rechecks open incidents. One
// Remediator serves one run and one goroutine; runs (goroutines, processes)
// that share a ledger file coordinate through its claims.
type Remediator struct {
	o      Options
	gh     issueTracker
	post   poster
	issues map[string]map[string]*Issue // repository -> fingerprint -> issue, listed once
	logins map[string]string            // repository@commit -> author login, asked once
	review reviewState
}

// New returns a Remediator.
func New(o Options) *Remediator {
	if o.Config == nil {
		o.Config = &Config{}
	}
	if o.HTTP == nil {
		o.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Backoff == 0 {
		o.Backoff = time.Second
	}
	if o.ClaimLease <= 0 {
		o.ClaimLease = 10 * time.Minute
	}
	if o.ClaimWait <= 0 {
		o.ClaimWait = 30 * time.Second
	}
	r := &Remediator{o: o, post: poster{http: o.HTTP, retries: 3, backoff: o.Backoff}, issues: map[string]map[string]*Issue{}, logins: map[string]string{}}
	if o.GitHub != nil {
		r.gh = o.GitHub
	}
	return r
}

// Plan decides, for each incident, the owners (CODEOWNERS, then each
// location's commit author: GitHub login, else email), the roll
// instructions, and the steps to run: the issue, the review comment, the
// rotation hooks, the revocation (with Revoke), Slack and webhooks. Steps
// that run once and that the ledger (when given) records as done are left
// out. It changes nothing.
func (r *Remediator) Plan(ctx context.Context, incs []Incident) (*Plan, error) {
	p := &Plan{}
	for i, inc := range incs {
		it := Item{Incident: inc, Roll: RollSteps(inc.Provider, inc.Tier)}
		if u := revokeURL(r.o.KustomerURL, &inc); u != "" && !r.o.Revoke {
			it.Notes = append(it.Notes, "revocation DELETE "+u+" is not a step: add --revoke to call it")
		}
		it.Owners = r.owners(ctx, &inc)
		p.Items = append(p.Items, it)
		p.Steps = append(p.Steps, r.planSteps(ctx, i, &p.Items[i])...)
	}
	return p, nil
}

func (r *Remediator) owners(ctx context.Context, inc *Incident) []Owner {
	var out []Owner
	for _, l := range inc.Locations {
		for _, h := range r.o.CodeOwners.Owners(l.Path) {
			out = addOwner(out, Owner{Handle: h, Source: "codeowners"})
		}
	}
	for _, l := range inc.Locations {
		login := r.login(ctx, inc.Repository, l.Commit)
		switch {
		case login != "":
			out = addOwner(out, Owner{Handle: "@" + login, Source: "author"})
		case l.AuthorEmail != "":
			out = addOwner(out, Owner{Handle: l.AuthorEmail, Source: "author"})
		}
	}
	return out
}

// login is the GitHub account of a commit's author, "" when unknown.
func (r *Remediator) login(ctx context.Context, repo, commit string) string {
	if r.gh == nil || repo == "" || commit == "" {
		return ""
	}
	key := repo + "@" + commit
	if l, ok := r.logins[key]; ok {
		return l
	}
	l, err := r.gh.CommitAuthor(ctx, repo, commit)
	if err != nil {
		r.o.Log.Warn().Err(err).Str("commit", commit).Msg("commit author lookup failed; using the email")
	}
	r.logins[key] = l
	return l
}

// payload is the JSON a hook or webhook receives.
type payload struct {
	Event       string            `json:"event"`
	Fingerprint string            `json:"fingerprint"`
	Provider    string            `json:"provider"`
	RuleID      string            `json:"rule_id"`
	Tier        string            `json:"tier,omitempty"`
	Status      finding.Status    `json:"status"`
	Redacted    string            `json:"redacted"`
	Repository  string            `json:"repository,omitempty"`
	Locations   []LedgerLoc       `json:"locations"`
	Owners      []Owner           `json:"owners"`
	Roll        []string          `json:"roll_steps"`
	IssueURL    string            `json:"issue_url,omitempty"`
	Secret      map[string]string `json:"secret,omitempty"`
}

func newPayload(event string, it *Item, issueURL string) payload {
	inc := &it.Incident
	p := payload{Event: event, Fingerprint: inc.Fingerprint, Provider: inc.Provider, RuleID: inc.RuleID,
		Tier: inc.Tier, Status: inc.Status, Redacted: inc.Redacted, Repository: inc.Repository,
		Owners: it.Owners, Roll: it.Roll, IssueURL: issueURL}
	for _, l := range inc.Locations {
		p.Locations = append(p.Locations, LedgerLoc{Path: l.Path, Line: l.Line, Commit: l.Commit, Author: author(l)})
	}
	return p
}

func (p payload) json() []byte {
	data, _ := json.Marshal(p)
	return data
}

func slackText(head string, it *Item, issueURL string) string {
	inc := &it.Incident
	s := fmt.Sprintf("%s: %s %s credential %s (%s) is %s", head, inc.Provider, tierOr(inc.Tier), orDash(inc.Redacted), inc.Fingerprint, inc.Status)
	if len(inc.Locations) > 0 {
		s += fmt.Sprintf(" at %s:%d", inc.Locations[0].Path, inc.Locations[0].Line)
	}
	s += ". Owners: " + ownerList(it.Owners) + "."
	if issueURL != "" {
		s += " " + issueURL
	}
	return s
}
