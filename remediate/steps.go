package remediate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
)

// StepKind names what a step does.
type StepKind string

// The kinds of step, in the order a plan runs them for one incident.
const (
	StepIssue   StepKind = "issue"          // open the incident's GitHub issue, or bring it up to date
	StepReview  StepKind = "review-comment" // the review comment on the leaking line of the pull request
	StepExec    StepKind = "exec"           // run a rotation hook (once)
	StepWebhook StepKind = "webhook"        // POST an event to a webhook (once per event)
	StepRevoke  StepKind = "revoke"         // call the provider's revocation API (once; --revoke)
	StepSlack   StepKind = "slack"          // the Slack alert (once)
)

// Step is one action of a plan. Key is its idempotency key (fingerprint,
// kind, target): the ledger records each step under it, a step with Once
// runs at most once per incident, and a claim on the key keeps two runs
// from doing the same step. A step holds no secret.
type Step struct {
	Key         string   `json:"key"`
	Kind        StepKind `json:"kind"`
	Fingerprint string   `json:"fingerprint"`
	Target      string   `json:"target"`          // what it acts on: a repository, a hook, a URL without its path
	Event       string   `json:"event,omitempty"` // a webhook's event: rotate or alert
	Once        bool     `json:"once"`            // else brought up to date on every run (issue, review comment)
	Issue       int      `json:"issue,omitempty"` // the issue an issue step updates, when the ledger knows it
	Item        int      `json:"-"`               // its incident's index in Plan.Items
	hook        int      // its hook's index in Config.Exec or Config.Webhook
}

// String says what the step does, without secrets.
func (s Step) String() string {
	switch s.Kind {
	case StepIssue:
		if s.Issue > 0 {
			return fmt.Sprintf("update issue #%d in %s (reopen it if the credential is live again)", s.Issue, s.Target)
		}
		return "open the incident issue in " + s.Target + ", or update the one carrying its marker"
	case StepReview:
		return "review comment on the leaking line in " + s.Target + " (or update it)"
	case StepExec:
		return "run rotation hook " + s.Target
	case StepWebhook:
		return fmt.Sprintf("POST the %s event to webhook %s", s.Event, s.Target)
	case StepRevoke:
		return "revoke: DELETE " + s.Target
	case StepSlack:
		return "alert Slack"
	}
	return string(s.Kind) + " " + s.Target
}

func newStep(it int, fp string, kind StepKind, target, id string, once bool) Step {
	return Step{Key: fp + "/" + string(kind) + "/" + id, Kind: kind, Fingerprint: fp, Target: target, Once: once, Item: it}
}

// planSteps lists the steps of item i, leaving out Once steps the ledger
// says are done.
func (r *Remediator) planSteps(ctx context.Context, i int, it *Item) []Step {
	inc, fp, cfg := &it.Incident, it.Incident.Fingerprint, r.o.Config
	var out []Step
	if r.gh != nil && inc.Repository != "" {
		out = append(out, r.issueStep(ctx, newStep(i, fp, StepIssue, inc.Repository, inc.Repository, false)))
		if _, ok := reviewLocation(inc); ok && r.o.PullRequest.Number > 0 {
			pr := fmt.Sprintf("%s#%d", inc.Repository, r.o.PullRequest.Number)
			out = append(out, newStep(i, fp, StepReview, "pull request "+pr, pr, false))
		}
	}
	for j, h := range cfg.Exec {
		if h.applies(inc.Provider) {
			s := newStep(i, fp, StepExec, h.label(), h.label(), true)
			s.hook = j
			out = append(out, s)
		}
	}
	out = append(out, r.webhookSteps(i, fp, "rotate")...)
	if u := revokeURL(r.o.KustomerURL, inc); u != "" && r.o.Revoke {
		out = append(out, newStep(i, fp, StepRevoke, u, inc.Provider, true))
	}
	if cfg.slackURL() != "" {
		out = append(out, newStep(i, fp, StepSlack, "slack", "slack", true))
	}
	out = append(out, r.webhookSteps(i, fp, "alert")...)
	var todo []Step
	for _, s := range out {
		if !s.Once || !r.done(ctx, s) {
			todo = append(todo, s)
		}
	}
	return todo
}

func (r *Remediator) webhookSteps(i int, fp, event string) []Step {
	var out []Step
	for j, w := range r.o.Config.Webhook {
		if w.wants(event) {
			s := newStep(i, fp, StepWebhook, w.display(), event+"/"+w.id(), true)
			s.Event, s.hook = event, j
			out = append(out, s)
		}
	}
	return out
}

// issueStep names the issue the ledger already knows.
func (r *Remediator) issueStep(ctx context.Context, s Step) Step {
	if r.o.Ledger != nil {
		if rec, err := r.o.Ledger.Step(ctx, s.Key); err == nil && rec != nil {
			s.Issue = rec.IssueNumber
		}
	}
	return s
}

// done reports whether the ledger says a Once step was carried out: by its
// key, or, for incidents recorded before steps were, by the old events.
func (r *Remediator) done(ctx context.Context, s Step) bool {
	l := r.o.Ledger
	if l == nil {
		return false
	}
	if rec, err := l.Step(ctx, s.Key); err == nil && rec != nil {
		return rec.State == StepDone
	}
	if recs, err := l.steps(ctx, s.Fingerprint); err != nil || len(recs) > 0 {
		return false
	}
	switch s.Kind {
	case StepSlack:
		return r.has(ctx, s.Fingerprint, "alert", "slack")
	case StepWebhook:
		if s.Event == "alert" {
			return r.has(ctx, s.Fingerprint, "alert", r.o.Config.Webhook[s.hook].label())
		}
	}
	rec, err := l.Get(ctx, s.Fingerprint)
	return err == nil && rec != nil && rec.RotationAt != nil
}

func (w Webhook) id() string {
	if w.Name != "" {
		return w.Name
	}
	sum := sha256.Sum256([]byte(w.URL))
	return "url-" + hex.EncodeToString(sum[:6])
}

// display names a webhook without its URL's path and query, where tokens
// live (Slack-style webhook URLs are secrets).
func (w Webhook) display() string {
	if w.Name != "" {
		return w.Name
	}
	u, err := url.Parse(w.URL)
	if err != nil || u.Host == "" {
		return w.id()
	}
	return u.Scheme + "://" + u.Host + "/…"
}
