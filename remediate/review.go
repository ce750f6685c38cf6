package remediate

import (
	"context"
	"fmt"
	"strings"

	"github.com/scanner-dev/scanner/finding"
)

// PullRequest names the pull request a run checks: its incidents get a
// review comment on the leaking line.
type PullRequest struct {
	Number int
	Head   string // the head commit; asked of GitHub when empty and needed
}

// ReviewMarker is the hidden line that ties a pull-request comment to an
// incident, so that a re-run updates it instead of adding another.
func ReviewMarker(fingerprint string) string {
	return "<!-- scanner:review " + fingerprint + " -->"
}

// reviewState is what the run knows of the pull request's comments, listed
// once per run.
type reviewState struct {
	loaded       bool
	reviews      []ReviewComment // review comments on lines
	conversation []ReviewComment // conversation comments, listed when first needed
	convLoaded   bool
}

// reviewLocation is where the incident's review comment goes: its first
// location with a path and a line.
func reviewLocation(inc *Incident) (finding.Location, bool) {
	for _, l := range inc.Locations {
		if l.Path != "" && l.Line > 0 {
			return l, true
		}
	}
	return finding.Location{}, false
}

// reviewComment keeps one review comment per incident on its line in the
// pull request: found again by marker and path, updated when its text
// changed, created otherwise. When GitHub refuses the line (422: not part
// of the diff), the comment goes to the pull request's conversation once.
func (r *Remediator) reviewComment(ctx context.Context, it *Item, issueURL string) error {
	inc, pr := &it.Incident, r.o.PullRequest
	loc, ok := reviewLocation(inc)
	if r.gh == nil || pr.Number <= 0 || inc.Repository == "" || !ok {
		return nil
	}
	if !r.review.loaded {
		cs, err := r.gh.ReviewComments(ctx, inc.Repository, pr.Number)
		if err != nil {
			return err
		}
		r.review.reviews, r.review.loaded = cs, true
	}
	body, marker := reviewBody(it, issueURL, ""), ReviewMarker(inc.Fingerprint)
	for i, c := range r.review.reviews {
		if c.Path == loc.Path && strings.Contains(c.Body, marker) {
			if c.Body == body {
				return nil
			}
			r.review.reviews[i].Body = body
			return r.recordReview(ctx, inc.Fingerprint, "updated", r.gh.EditReviewComment(ctx, inc.Repository, c.ID, body))
		}
	}
	commit := loc.Commit
	if commit == "" {
		commit = pr.Head
	}
	if commit == "" {
		head, err := r.gh.PullHead(ctx, inc.Repository, pr.Number)
		if err != nil {
			return err
		}
		r.o.PullRequest.Head, commit = head, head
	}
	made, err := r.gh.CreateReviewComment(ctx, inc.Repository, pr.Number, commit,
		ReviewComment{Path: loc.Path, Line: loc.Line, Body: body})
	if unprocessable(err) {
		r.o.Log.Info().Str("path", loc.Path).Int("line", loc.Line).Msg("line not in the pull request's diff: commenting in the conversation")
		return r.conversationComment(ctx, it, loc, issueURL)
	}
	if err == nil {
		r.review.reviews = append(r.review.reviews, *made)
	}
	return r.recordReview(ctx, inc.Fingerprint, "", err)
}

// conversationComment is the fallback: one comment in the pull request's
// conversation, found again by its marker.
func (r *Remediator) conversationComment(ctx context.Context, it *Item, loc finding.Location, issueURL string) error {
	inc, n := &it.Incident, r.o.PullRequest.Number
	if !r.review.convLoaded {
		cs, err := r.gh.IssueComments(ctx, inc.Repository, n)
		if err != nil {
			return err
		}
		r.review.conversation, r.review.convLoaded = cs, true
	}
	where := fmt.Sprintf("`%s` line %d (outside this pull request's diff)", loc.Path, loc.Line)
	body, marker := reviewBody(it, issueURL, where), ReviewMarker(inc.Fingerprint)
	for i, c := range r.review.conversation {
		if strings.Contains(c.Body, marker) {
			if c.Body == body {
				return nil
			}
			r.review.conversation[i].Body = body
			return r.recordReview(ctx, inc.Fingerprint, "conversation updated", r.gh.EditComment(ctx, inc.Repository, c.ID, body))
		}
	}
	err := r.gh.Comment(ctx, inc.Repository, n, body)
	if err == nil {
		r.review.conversation = append(r.review.conversation, ReviewComment{Body: body})
	}
	return r.recordReview(ctx, inc.Fingerprint, "conversation", err)
}

// recordReview notes a written comment in the ledger's alert events.
func (r *Remediator) recordReview(ctx context.Context, fp, what string, err error) error {
	if err != nil {
		return err
	}
	detail := fmt.Sprintf("review comment on pull request #%d", r.o.PullRequest.Number)
	if what != "" {
		detail += " (" + what + ")"
	}
	return r.o.Ledger.AddEvent(ctx, fp, "alert", detail, r.o.Now())
}

// reviewBody renders the comment: the marker, what leaked (redacted), the
// roll steps and the incident's issue. Never the raw credential. where is
// set for a conversation comment, which no line anchors.
func reviewBody(it *Item, issueURL, where string) string {
	inc := &it.Incident
	var b strings.Builder
	b.WriteString(ReviewMarker(inc.Fingerprint) + "\n")
	fmt.Fprintf(&b, "**Leaked %s %s credential** `%s`", inc.Provider, tierOr(inc.Tier), orDash(inc.Redacted))
	if where != "" {
		b.WriteString(" at " + where)
	}
	fmt.Fprintf(&b, ": it answers **%s** with its provider.\n\n", inc.Status)
	b.WriteString("Removing it from this pull request does not help: it stays in the branch's history. Roll it now:\n\n")
	for i, s := range it.Roll {
		fmt.Fprintf(&b, "%d. %s\n", i+1, s)
	}
	if issueURL != "" {
		fmt.Fprintf(&b, "\nIncident: %s (fingerprint `%s`)\n", issueURL, inc.Fingerprint)
	} else {
		fmt.Fprintf(&b, "\nIncident fingerprint `%s`\n", inc.Fingerprint)
	}
	return b.String()
}
