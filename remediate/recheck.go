package remediate

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/scanner-dev/scanner/finding"
)

// ensureIssue opens the incident's issue, or finds it by its marker and
// brings it up to date (reopening it when the credential is live again).
func (r *Remediator) ensureIssue(ctx context.Context, it *Item, rec *Record) (string, error) {
	inc := &it.Incident
	if r.gh == nil || inc.Repository == "" {
		return rec.IssueURL, nil
	}
	body, title := issueBody(it), issueTitle(inc)
	is, err := r.findIssue(ctx, inc.Repository, inc.Fingerprint)
	if err != nil {
		return "", err
	}
	if is == nil {
		labels, users := r.labels(), assignees(it.Owners)
		req := IssueRequest{Title: &title, Body: &body, Labels: &labels, Assignees: &users}
		is, err = r.gh.CreateIssue(ctx, inc.Repository, req)
		if unprocessable(err) { // an owner GitHub will not assign: mention only
			req.Assignees = nil
			is, err = r.gh.CreateIssue(ctx, inc.Repository, req)
		}
		if err != nil {
			return "", err
		}
		r.issues[inc.Repository][inc.Fingerprint] = is
		return is.HTMLURL, r.issueRecorded(ctx, inc.Fingerprint, is, "opened")
	}
	if is.State == "closed" && inc.Status == finding.Live {
		open := "open"
		if _, err := r.gh.EditIssue(ctx, inc.Repository, is.Number, IssueRequest{State: &open, Body: &body}); err != nil {
			return "", err
		}
		is.State, is.Body = open, body
		msg := "The credential answers live again: reopened. " + mentions(it.Owners)
		if err := r.gh.Comment(ctx, inc.Repository, is.Number, msg); err != nil {
			return "", err
		}
		if rec.Status == StatusRevoked {
			err = r.o.Ledger.Reopen(ctx, inc.Fingerprint, r.o.Now())
		}
		return is.HTMLURL, errors.Join(err, r.issueRecorded(ctx, inc.Fingerprint, is, "reopened"))
	}
	if is.State != "closed" && is.Body != body {
		if _, err := r.gh.EditIssue(ctx, inc.Repository, is.Number, IssueRequest{Body: &body}); err != nil {
			return "", err
		}
		is.Body = body
		return is.HTMLURL, r.issueRecorded(ctx, inc.Fingerprint, is, "updated")
	}
	return is.HTMLURL, r.o.Ledger.SetIssue(ctx, inc.Fingerprint, is.Number, is.HTMLURL)
}

// findIssue returns the issue marked with fingerprint fp, listing the
// repository's issues once per run.
func (r *Remediator) findIssue(ctx context.Context, repo, fp string) (*Issue, error) {
	if r.issues[repo] == nil {
		m, err := r.gh.MarkedIssues(ctx, repo)
		if err != nil {
			return nil, err
		}
		r.issues[repo] = m
	}
	return r.issues[repo][fp], nil
}

func (r *Remediator) labels() []string {
	if len(r.o.Config.Labels) > 0 {
		return r.o.Config.Labels
	}
	return DefaultLabels
}

func (r *Remediator) issueRecorded(ctx context.Context, fp string, is *Issue, what string) error {
	if err := r.o.Ledger.SetIssue(ctx, fp, is.Number, is.HTMLURL); err != nil {
		return err
	}
	return r.o.Ledger.AddEvent(ctx, fp, "alert", "github issue #"+strconv.Itoa(is.Number)+" "+what, r.o.Now())
}

// RecheckResult counts what a recheck found.
type RecheckResult struct {
	Revoked, Live, Unknown, Escalated, NotInLedger int
}

// Recheck takes freshly validated findings and updates the open incidents
// they match by fingerprint: invalid confirms revocation (recorded, the
// issue commented on and closed, "revoked" webhooks sent); live past the
// configured deadline escalates once (comment with mentions, Slack,
// "escalate" webhooks); unknown is recorded.
func (r *Remediator) Recheck(ctx context.Context, checked []finding.Finding) (RecheckResult, error) {
	var res RecheckResult
	var errs []error
	seen := map[string]bool{}
	for _, f := range checked {
		if f.Validation == nil || seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		rec, err := r.o.Ledger.Get(ctx, f.Fingerprint)
		if err != nil {
			return res, err
		}
		if rec == nil || rec.Status != StatusOpen {
			res.NotInLedger++
			continue
		}
		if err := r.recheckOne(ctx, rec, f.Validation, &res); err != nil {
			errs = append(errs, fmt.Errorf("incident %s: %w", rec.Fingerprint, err))
		}
	}
	return res, errors.Join(errs...)
}

func (r *Remediator) recheckOne(ctx context.Context, rec *Record, v *finding.Validation, res *RecheckResult) error {
	now, l := r.o.Now(), r.o.Ledger
	if rec.Validation != string(v.Status) {
		if err := l.AddEvent(ctx, rec.Fingerprint, "status", string(v.Status), now); err != nil {
			return err
		}
	}
	switch v.Status {
	case finding.Invalid:
		res.Revoked++
		if err := l.Mark(ctx, rec.Fingerprint, "revoked", "the provider refuses the credential", now); err != nil {
			return err
		}
		msg := fmt.Sprintf("Revocation confirmed at %s: %s now refuses this credential. Closing.", now.UTC().Format("2006-01-02 15:04:05 MST"), rec.Provider)
		return errors.Join(r.closeIssue(ctx, rec, msg), r.notify(ctx, rec, "revoked", msg))
	case finding.Live:
		res.Live++
		deadline := r.o.Config.EscalateAfter.Duration
		if deadline <= 0 || rec.EscalatedAt != nil || now.Sub(rec.OpenedAt) < deadline {
			return nil
		}
		res.Escalated++
		owners := lastEvent(rec, "owners")
		msg := fmt.Sprintf("Escalation: this credential still answers live %s after the leak was reported. %s please roll it now.",
			now.Sub(rec.OpenedAt).Round(1e9), mentionsOf(owners))
		if err := l.Mark(ctx, rec.Fingerprint, "escalated", owners, now); err != nil {
			return err
		}
		return errors.Join(r.comment(ctx, rec, msg), r.notify(ctx, rec, "escalate", msg))
	}
	res.Unknown++
	return nil
}

func (r *Remediator) closeIssue(ctx context.Context, rec *Record, msg string) error {
	if r.gh == nil || rec.IssueNumber == 0 || rec.Repository == "" {
		return nil
	}
	if err := r.gh.Comment(ctx, rec.Repository, rec.IssueNumber, msg); err != nil {
		return err
	}
	closed := "closed"
	_, err := r.gh.EditIssue(ctx, rec.Repository, rec.IssueNumber, IssueRequest{State: &closed})
	return err
}

func (r *Remediator) comment(ctx context.Context, rec *Record, msg string) error {
	if r.gh == nil || rec.IssueNumber == 0 || rec.Repository == "" {
		return nil
	}
	return r.gh.Comment(ctx, rec.Repository, rec.IssueNumber, msg)
}

// notify sends an event about a ledger record to Slack and the webhooks that want it.
func (r *Remediator) notify(ctx context.Context, rec *Record, event, msg string) error {
	p := payload{Event: event, Fingerprint: rec.Fingerprint, Provider: rec.Provider, RuleID: rec.RuleID,
		Tier: rec.Tier, Status: finding.Status(rec.Validation), Redacted: rec.Redacted,
		Repository: rec.Repository, Locations: rec.Locations, IssueURL: rec.IssueURL}
	var errs []error
	if u := r.o.Config.slackURL(); u != "" {
		errs = append(errs, r.post.sendSlack(ctx, u, msg+" "+rec.Fingerprint+" "+rec.IssueURL))
	}
	for _, w := range r.o.Config.Webhook {
		if w.wants(event) {
			errs = append(errs, r.post.sendWebhook(ctx, w, p.json()))
		}
	}
	return errors.Join(errs...)
}

func lastEvent(rec *Record, kind string) string {
	for i := len(rec.Events) - 1; i >= 0; i-- {
		if rec.Events[i].Kind == kind {
			return rec.Events[i].Detail
		}
	}
	return ""
}

func mentionsOf(owners string) string {
	var out []string
	for _, h := range strings.Fields(owners) {
		if strings.HasPrefix(h, "@") {
			out = append(out, h)
		}
	}
	return strings.Join(out, " ")
}
