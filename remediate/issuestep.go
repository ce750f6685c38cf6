package remediate

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/ghapi"
)

// createTries bounds the creations of one issue when GitHub's answer leaves
// open whether it was opened (a 5xx, no answer).
const createTries = 3

// ensureIssue keeps one issue per incident, whatever runs at once. The run
// that claims the step in the ledger (see Ledger.Claim) looks for an issue
// carrying the incident's marker (a run that crashed after creating it,
// another machine), adopts it or opens one, and records its number, which
// makes the step done. A run that finds the step done updates that issue;
// one that finds it claimed by a live run waits for the number (ClaimWait).
func (r *Remediator) ensureIssue(ctx context.Context, s Step, st *itemRun) (string, error) {
	l, fp := r.o.Ledger, s.Fingerprint
	held, err := l.Claim(ctx, s.Key, fp, string(s.Kind), r.o.Now(), r.o.ClaimLease)
	if err != nil {
		return "", err
	}
	if !held {
		rec, err := r.awaitIssue(ctx, s.Key)
		if err != nil || rec == nil || rec.IssueNumber == 0 {
			return "another run holds the claim and is opening the issue", err
		}
		return r.updateIssue(ctx, st, s.Target, &Issue{Number: rec.IssueNumber, HTMLURL: rec.IssueURL})
	}
	detail, err := r.openIssue(ctx, s, st)
	if err != nil {
		err = errors.Join(err, l.Release(ctx, s.Key, r.o.Now()))
	}
	return detail, err
}

// openIssue runs under the claim: it adopts the issue carrying the
// incident's marker, or opens one, and records its number.
func (r *Remediator) openIssue(ctx context.Context, s Step, st *itemRun) (string, error) {
	is, err := r.findIssue(ctx, s.Target, s.Fingerprint, false)
	if err != nil {
		return "", err
	}
	if is != nil {
		if err := r.recordIssue(ctx, s, st, is, "adopted"); err != nil {
			return "", err
		}
		return r.updateIssue(ctx, st, s.Target, is)
	}
	is, err = r.createIssue(ctx, st.it, s.Target)
	if err != nil {
		return "", err
	}
	return "opened issue #" + strconv.Itoa(is.Number), r.recordIssue(ctx, s, st, is, "opened")
}

// awaitIssue waits, within ClaimWait, for the run that holds the claim on
// an issue step to record the issue's number.
func (r *Remediator) awaitIssue(ctx context.Context, key string) (*StepRecord, error) {
	deadline := time.Now().Add(r.o.ClaimWait)
	for {
		rec, err := r.o.Ledger.Step(ctx, key)
		if err != nil || (rec != nil && rec.IssueNumber > 0) || time.Now().After(deadline) {
			return rec, err
		}
		if err := ghapi.Sleep(ctx, 50*time.Millisecond); err != nil {
			return nil, err
		}
	}
}

func (r *Remediator) recordIssue(ctx context.Context, s Step, st *itemRun, is *Issue, what string) error {
	st.issueURL = is.HTMLURL
	l, now := r.o.Ledger, r.o.Now()
	if err := l.SetStepIssue(ctx, s.Key, is.Number, is.HTMLURL, now); err != nil {
		return err
	}
	if err := l.SetIssue(ctx, s.Fingerprint, is.Number, is.HTMLURL); err != nil {
		return err
	}
	return l.AddEvent(ctx, s.Fingerprint, "alert", "github issue #"+strconv.Itoa(is.Number)+" "+what, now)
}

// createIssue opens the incident's issue. When GitHub's answer leaves open
// whether it did (a server error, no answer), the issues are listed again
// and one carrying the marker is taken before trying again.
func (r *Remediator) createIssue(ctx context.Context, it *Item, repo string) (*Issue, error) {
	body, title := issueBody(it), issueTitle(&it.Incident)
	labels, users := r.labels(), assignees(it.Owners)
	req := IssueRequest{Title: &title, Body: &body, Labels: &labels, Assignees: &users}
	wait := r.o.Backoff
	for try := 1; ; try++ {
		is, err := r.gh.CreateIssue(ctx, repo, req)
		if unprocessable(err) { // an owner GitHub will not assign: mention only
			req.Assignees = nil
			is, err = r.gh.CreateIssue(ctx, repo, req)
		}
		if err == nil {
			r.issues[repo][it.Incident.Fingerprint] = is
			return is, nil
		}
		if !ambiguous(err) || try == createTries {
			return nil, err
		}
		if found, ferr := r.findIssue(ctx, repo, it.Incident.Fingerprint, true); ferr != nil || found != nil {
			return found, ferr
		}
		if serr := ghapi.Sleep(ctx, wait); serr != nil {
			return nil, serr
		}
		wait *= 2
	}
}

// ambiguous reports an answer that leaves open whether GitHub acted on the
// request: a server error or no answer at all.
func ambiguous(err error) bool {
	var ge *github.ErrorResponse
	if errors.As(err, &ge) && ge.Response != nil {
		return ge.Response.StatusCode >= http.StatusInternalServerError
	}
	var rl *github.RateLimitError
	var ab *github.AbuseRateLimitError
	return !errors.As(err, &rl) && !errors.As(err, &ab) && !errors.Is(err, context.Canceled)
}

// updateIssue brings the incident's issue up to date: reopened with a
// comment when the credential is live again, its body rewritten when it
// changed.
func (r *Remediator) updateIssue(ctx context.Context, st *itemRun, repo string, known *Issue) (string, error) {
	inc := &st.it.Incident
	is, err := r.findIssue(ctx, repo, inc.Fingerprint, false)
	if err != nil {
		return "", err
	}
	if is == nil || is.Number != known.Number { // its marker is gone: the ledger's number stands
		is = &Issue{Number: known.Number, HTMLURL: known.HTMLURL, State: "open"}
	}
	st.issueURL = is.HTMLURL
	body, n := issueBody(st.it), strconv.Itoa(is.Number)
	edit := ghapi.Idempotent(ctx) // setting fields to given values: safe to repeat
	switch {
	case is.State == "closed" && inc.Status == finding.Live:
		open := "open"
		if _, err := r.gh.EditIssue(edit, repo, is.Number, IssueRequest{State: &open, Body: &body}); err != nil {
			return "", err
		}
		is.State, is.Body = open, body
		msg := "The credential answers live again: reopened. " + mentions(st.it.Owners)
		if err := r.gh.Comment(ctx, repo, is.Number, msg); err != nil {
			return "", err
		}
		return "reopened issue #" + n, r.reopened(ctx, inc.Fingerprint, is)
	case is.State != "closed" && is.Body != body:
		if _, err := r.gh.EditIssue(edit, repo, is.Number, IssueRequest{Body: &body}); err != nil {
			return "", err
		}
		is.Body = body
		return "updated issue #" + n, r.o.Ledger.AddEvent(ctx, inc.Fingerprint, "alert", "github issue #"+n+" updated", r.o.Now())
	}
	return "issue #" + n + " up to date", r.o.Ledger.SetIssue(ctx, inc.Fingerprint, is.Number, is.HTMLURL)
}

func (r *Remediator) reopened(ctx context.Context, fp string, is *Issue) error {
	rec, err := r.o.Ledger.Get(ctx, fp)
	if err == nil && rec != nil && rec.Status == StatusRevoked {
		err = r.o.Ledger.Reopen(ctx, fp, r.o.Now())
	}
	n := strconv.Itoa(is.Number)
	return errors.Join(err, r.o.Ledger.SetIssue(ctx, fp, is.Number, is.HTMLURL),
		r.o.Ledger.AddEvent(ctx, fp, "alert", "github issue #"+n+" reopened", r.o.Now()))
}

// findIssue returns the issue marked with fingerprint fp, listing the
// repository's issues once per run, or again when refresh is set.
func (r *Remediator) findIssue(ctx context.Context, repo, fp string, refresh bool) (*Issue, error) {
	if r.issues[repo] == nil || refresh {
		m, err := r.gh.MarkedIssues(ctx, repo)
		if err != nil {
			return nil, fmt.Errorf("look for the incident's issue: %w", err)
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
