package remediate

import (
	"context"
	"encoding/json"
	"errors"
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
	Revoke      bool   // really call revocation APIs (Kustomer)
	KustomerURL string // KUSTOMER_API_URL
	Backoff     time.Duration
	Now         func() time.Time
	Log         zerolog.Logger
}

// Remediator plans and applies remediation and rechecks open incidents.
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
	r := &Remediator{o: o, post: poster{http: o.HTTP, retries: 3, backoff: o.Backoff}, issues: map[string]map[string]*Issue{}, logins: map[string]string{}}
	if o.GitHub != nil {
		r.gh = o.GitHub
	}
	return r
}

// Plan decides, for each incident, the roll steps, the hooks, the owners
// (CODEOWNERS, then each location's commit author: GitHub login, else
// email) and the channels. It changes nothing.
func (r *Remediator) Plan(ctx context.Context, incs []Incident) (*Plan, error) {
	p := &Plan{}
	for _, inc := range incs {
		it := Item{Incident: inc, Roll: RollSteps(inc.Provider, inc.Tier)}
		if u := revokeURL(r.o.KustomerURL, &inc); u != "" {
			mode := "planned only: add --revoke to call it"
			if r.o.Revoke {
				mode = "will be called"
			}
			it.Revoke = "DELETE " + u + " (" + mode + ")"
		}
		for _, h := range r.o.Config.Exec {
			if h.applies(inc.Provider) {
				it.Hooks = append(it.Hooks, h.label())
			}
		}
		for _, w := range r.o.Config.Webhook {
			if w.wants("rotate") {
				it.Hooks = append(it.Hooks, w.label())
			}
		}
		it.Owners = r.owners(ctx, &inc)
		it.Channels = r.channels(&inc)
		p.Items = append(p.Items, it)
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

func (r *Remediator) channels(inc *Incident) []string {
	var out []string
	if r.gh != nil && inc.Repository != "" {
		out = append(out, "github issue in "+inc.Repository)
		if _, ok := reviewLocation(inc); ok && r.o.PullRequest.Number > 0 {
			out = append(out, fmt.Sprintf("review comment in pull request #%d", r.o.PullRequest.Number))
		}
	}
	if r.o.Config.slackURL() != "" {
		out = append(out, "slack")
	}
	for _, w := range r.o.Config.Webhook {
		if w.wants("alert") {
			out = append(out, w.label())
		}
	}
	return out
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

// Apply carries out the plan: records each incident, fires the rotation
// hooks once, revokes when asked, and alerts every channel once (the GitHub
// issue is found again by its marker and updated, never duplicated). A
// failing channel does not stop the others; all errors are returned.
func (r *Remediator) Apply(ctx context.Context, p *Plan) error {
	var errs []error
	for i := range p.Items {
		if err := r.applyItem(ctx, &p.Items[i]); err != nil {
			errs = append(errs, fmt.Errorf("incident %s: %w", p.Items[i].Incident.Fingerprint, err))
		}
	}
	return errors.Join(errs...)
}

func (r *Remediator) applyItem(ctx context.Context, it *Item) error {
	inc, now, l := &it.Incident, r.o.Now(), r.o.Ledger
	if _, err := l.Upsert(ctx, inc, now); err != nil {
		return err
	}
	rec, err := l.Get(ctx, inc.Fingerprint)
	if err != nil {
		return err
	}
	if owners := ownerList(it.Owners); !r.has(ctx, inc.Fingerprint, "owners", owners) {
		errs := l.AddEvent(ctx, inc.Fingerprint, "owners", owners, now)
		if errs != nil {
			return errs
		}
	}
	var errs []error
	issueURL, err := r.ensureIssue(ctx, it, rec)
	errs = append(errs, err, r.reviewComment(ctx, it, issueURL))
	if rec.RotationAt == nil {
		errs = append(errs, r.rotate(ctx, it, issueURL))
	}
	errs = append(errs, r.alertOnce(ctx, it, issueURL))
	return errors.Join(errs...)
}

func (r *Remediator) has(ctx context.Context, fp, kind, detail string) bool {
	ok, err := r.o.Ledger.HasEvent(ctx, fp, kind, detail)
	return ok && err == nil
}

// rotate fires the rotation hooks and, with --revoke, the revocation call,
// then records that rotation was requested.
func (r *Remediator) rotate(ctx context.Context, it *Item, issueURL string) error {
	inc := &it.Incident
	var errs, done []string
	for _, h := range r.o.Config.Exec {
		if !h.applies(inc.Provider) {
			continue
		}
		p := newPayload("rotate", it, issueURL)
		if h.IncludeSecret {
			p.Secret = map[string]string{}
			for _, part := range inc.Finding.Parts {
				p.Secret[part.Name] = part.Value.Reveal()
			}
		}
		if err := runExec(ctx, h, p.json()); err != nil {
			errs = append(errs, err.Error())
			continue
		}
		done = append(done, h.label())
	}
	for _, w := range r.o.Config.Webhook {
		if w.wants("rotate") {
			if err := r.post.sendWebhook(ctx, w, newPayload("rotate", it, issueURL).json()); err != nil {
				errs = append(errs, err.Error())
				continue
			}
			done = append(done, w.label())
		}
	}
	if u := revokeURL(r.o.KustomerURL, inc); u != "" && r.o.Revoke {
		if err := revokeKustomer(ctx, r.o.HTTP, u, &inc.Finding); err != nil {
			errs = append(errs, err.Error())
		} else {
			done = append(done, "kustomer revoke")
		}
	}
	done = append(done, "roll steps in the alert")
	if err := r.o.Ledger.Mark(ctx, inc.Fingerprint, "rotation", fmt.Sprint(done), r.o.Now()); err != nil {
		return err
	}
	if len(errs) > 0 {
		return fmt.Errorf("rotation: %v", errs)
	}
	return nil
}

// alertOnce sends the Slack and webhook alerts not sent before.
func (r *Remediator) alertOnce(ctx context.Context, it *Item, issueURL string) error {
	fp := it.Incident.Fingerprint
	var errs []error
	if u := r.o.Config.slackURL(); u != "" && !r.has(ctx, fp, "alert", "slack") {
		err := r.post.sendSlack(ctx, u, slackText("Leaked credential", it, issueURL))
		errs = append(errs, err, r.sent(ctx, fp, "slack", err))
	}
	for _, w := range r.o.Config.Webhook {
		if w.wants("alert") && !r.has(ctx, fp, "alert", w.label()) {
			err := r.post.sendWebhook(ctx, w, newPayload("alert", it, issueURL).json())
			errs = append(errs, err, r.sent(ctx, fp, w.label(), err))
		}
	}
	return errors.Join(errs...)
}

func (r *Remediator) sent(ctx context.Context, fp, channel string, err error) error {
	if err != nil {
		return nil
	}
	return r.o.Ledger.AddEvent(ctx, fp, "alert", channel, r.o.Now())
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
