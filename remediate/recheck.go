package remediate

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/ghapi"
)

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
	_, err := r.gh.EditIssue(ghapi.Idempotent(ctx), rec.Repository, rec.IssueNumber, IssueRequest{State: &closed})
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
