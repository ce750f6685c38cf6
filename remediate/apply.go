package remediate

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Applier carries out a plan's steps and says how each went. Remediator
// runs them; DryRun prints them. Both take the same Plan.
type Applier interface {
	Apply(ctx context.Context, p *Plan) (Results, error)
}

var (
	_ Applier = (*Remediator)(nil)
	_ Applier = DryRun{}
)

// Result is how one step went. Error is free of secrets.
type Result struct {
	Step   Step   `json:"step"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"` // what was done: "opened issue #3", "done by another run"
	Error  string `json:"error,omitempty"`
}

// Results are the results of a plan's steps, in the plan's order.
type Results []Result

// Failed returns the results of the steps that failed.
func (rs Results) Failed() Results {
	var out Results
	for _, r := range rs {
		if !r.OK {
			out = append(out, r)
		}
	}
	return out
}

// Err is nil when every step succeeded, else an error naming each failed
// step and why (free of secrets).
func (rs Results) Err() error {
	var errs []error
	for _, r := range rs.Failed() {
		errs = append(errs, fmt.Errorf("%s: %s", r.Step.Key, r.Error))
	}
	return errors.Join(errs...)
}

// itemRun is what the steps of one incident share while they run.
type itemRun struct {
	it       *Item
	issueURL string
	rotated  []string // the rotation steps carried out
	asked    bool     // rotation was requested by an earlier run
}

// Apply runs exactly the plan's steps, in order, and records each in the
// ledger under its key. A failing step does not stop the others: each has
// its Result. The error is for what stops everything (no ledger).
func (r *Remediator) Apply(ctx context.Context, p *Plan) (Results, error) {
	if r.o.Ledger == nil {
		return nil, errors.New("remediate: Apply needs a ledger")
	}
	var out Results
	for i := range p.Items {
		out = append(out, r.applyItem(ctx, &p.Items[i], p.stepsOf(i))...)
	}
	return out, ctx.Err()
}

func (r *Remediator) applyItem(ctx context.Context, it *Item, steps []Step) Results {
	st, err := r.begin(ctx, it)
	var out Results
	for _, s := range steps {
		if err != nil {
			out = append(out, Result{Step: s, Error: r.scrub(err, it)})
			continue
		}
		out = append(out, r.runStep(ctx, s, st))
	}
	if err == nil && (len(st.rotated) > 0 || !st.asked) {
		done := fmt.Sprint(append(st.rotated, "roll steps in the alert"))
		if err := r.o.Ledger.Mark(ctx, it.Incident.Fingerprint, "rotation", done, r.o.Now()); err != nil {
			r.o.Log.Warn().Err(err).Str("fingerprint", it.Incident.Fingerprint).Msg("rotation not recorded")
		}
	}
	return out
}

// begin records the incident and its owners.
func (r *Remediator) begin(ctx context.Context, it *Item) (*itemRun, error) {
	inc, l := &it.Incident, r.o.Ledger
	if _, err := l.Upsert(ctx, inc, r.o.Now()); err != nil {
		return nil, err
	}
	rec, err := l.Get(ctx, inc.Fingerprint)
	if err != nil || rec == nil {
		return nil, errors.Join(err, errors.New("ledger: the incident was not recorded"))
	}
	if owners := ownerList(it.Owners); !r.has(ctx, inc.Fingerprint, "owners", owners) {
		if err := l.AddEvent(ctx, inc.Fingerprint, "owners", owners, r.o.Now()); err != nil {
			return nil, err
		}
	}
	return &itemRun{it: it, issueURL: rec.IssueURL, asked: rec.RotationAt != nil}, nil
}

// runStep runs one step, under a claim when it runs once, and records how
// it went.
func (r *Remediator) runStep(ctx context.Context, s Step, st *itemRun) Result {
	l := r.o.Ledger
	if s.Once {
		held, err := l.Claim(ctx, s.Key, s.Fingerprint, string(s.Kind), r.o.Now(), r.o.ClaimLease)
		if err != nil {
			return Result{Step: s, Error: r.scrub(err, st.it)}
		}
		if !held {
			return Result{Step: s, OK: true, Detail: "done, or under way, in another run"}
		}
	}
	detail, err := r.do(ctx, s, st)
	res := Result{Step: s, OK: err == nil, Detail: detail}
	if err != nil {
		res.Error = r.scrub(err, st.it)
	}
	var ferr error
	if s.Kind == StepIssue { // its state is the claim's, kept by ensureIssue
		ferr = l.Note(ctx, s.Key, res.Error, detail, r.o.Now())
	} else {
		ferr = l.Finish(ctx, s.Key, s.Fingerprint, string(s.Kind), res.Error, detail, r.o.Now())
	}
	if ferr != nil && res.OK {
		res.OK, res.Error = false, r.scrub(ferr, st.it)
	}
	return res
}

func (r *Remediator) has(ctx context.Context, fp, kind, detail string) bool {
	ok, err := r.o.Ledger.HasEvent(ctx, fp, kind, detail)
	return ok && err == nil
}

// do carries out one step.
func (r *Remediator) do(ctx context.Context, s Step, st *itemRun) (string, error) {
	it, fp := st.it, s.Fingerprint
	switch s.Kind {
	case StepIssue:
		return r.ensureIssue(ctx, s, st)
	case StepReview:
		return "review comment up to date", r.reviewComment(ctx, it, st.issueURL)
	case StepExec:
		h := r.o.Config.Exec[s.hook]
		return r.rotated(st, h.label(), runExec(ctx, h, r.execPayload(h, it, st.issueURL)))
	case StepRevoke:
		return r.rotated(st, "kustomer revoke", revokeKustomer(ctx, r.o.HTTP, s.Target, &it.Incident.Finding))
	case StepWebhook:
		w := r.o.Config.Webhook[s.hook]
		err := r.post.sendWebhook(ctx, w, newPayload(s.Event, it, st.issueURL).json())
		if s.Event == "rotate" {
			return r.rotated(st, w.label(), err)
		}
		return "sent", errors.Join(err, r.sent(ctx, fp, w.label(), err))
	case StepSlack:
		err := r.post.sendSlack(ctx, r.o.Config.slackURL(), slackText("Leaked credential", it, st.issueURL))
		return "sent", errors.Join(err, r.sent(ctx, fp, "slack", err))
	}
	return "", fmt.Errorf("unknown step kind %q", s.Kind)
}

func (r *Remediator) rotated(st *itemRun, what string, err error) (string, error) {
	if err != nil {
		return "", err
	}
	st.rotated = append(st.rotated, what)
	return "done", nil
}

func (r *Remediator) execPayload(h ExecHook, it *Item, issueURL string) []byte {
	p := newPayload("rotate", it, issueURL)
	if h.IncludeSecret {
		p.Secret = map[string]string{}
		for _, part := range it.Incident.Finding.Parts {
			p.Secret[part.Name] = part.Value.Reveal()
		}
	}
	return p.json()
}

func (r *Remediator) sent(ctx context.Context, fp, channel string, err error) error {
	if err != nil {
		return nil
	}
	return r.o.Ledger.AddEvent(ctx, fp, "alert", channel, r.o.Now())
}

// scrub is the text of err with every secret the run knows cut out: the
// credential's parts, the Slack and webhook URLs (whose paths are tokens).
func (r *Remediator) scrub(err error, it *Item) string {
	s := err.Error()
	var secrets []string
	for _, p := range it.Incident.Finding.Parts {
		secrets = append(secrets, p.Value.Reveal())
	}
	secrets = append(secrets, r.o.Config.slackURL())
	for _, w := range r.o.Config.Webhook {
		secrets = append(secrets, w.URL)
	}
	for _, v := range secrets {
		if len(v) >= 4 {
			s = strings.ReplaceAll(s, v, "[REDACTED]")
		}
	}
	return s
}
