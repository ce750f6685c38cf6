package remediate

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/finding"
)

// prFixture opens a pull request whose only commit is commit, with lines
// of path in its diff, and points the remediator at it.
func (fx *fixture) prFixture(commit, path string, lines ...int) int {
	n := fx.gh.AddPullRequest("acme/app", commit)
	fx.gh.DiffLines("acme/app", n, path, lines...)
	fx.pr = PullRequest{Number: n}
	return n
}

func TestReviewCommentOnTheLineOnce(t *testing.T) {
	fx := newFixture(t)
	id, key := crispPair(t)
	commit := randHex(t, 40)
	f := crispFinding(id, key, "config/crisp.env", commit, finding.Live)
	n := fx.prFixture(commit, "config/crisp.env", 1, 2)
	fx.run(t, []finding.Finding{f})
	fx.run(t, []finding.Finding{f}) // a re-run adds none

	rc := fx.gh.ReviewComments("acme/app", n)
	if len(rc) != 1 {
		t.Fatalf("%d review comments, want 1: %+v", len(rc), rc)
	}
	c := rc[0]
	if c.Path != "config/crisp.env" || c.Line != 2 || c.Side != "RIGHT" || c.CommitID != commit {
		t.Errorf("review comment at %s:%d side %s commit %s", c.Path, c.Line, c.Side, c.CommitID)
	}
	for _, want := range []string{ReviewMarker(f.Fingerprint), f.Redacted(), "Tokens tab", "https://github.example/acme/app/issues/2"} {
		if !strings.Contains(c.Body, want) {
			t.Errorf("review comment lacks %q:\n%s", want, c.Body)
		}
	}
	noRaw(t, "review comment", c.Body, id, key)
	if conv := fx.gh.Conversation("acme/app", n); len(conv) != 0 {
		t.Errorf("conversation comments %q, want none", conv)
	}
	if is := fx.gh.Issues("acme/app"); len(is) != 1 {
		t.Errorf("%d issues, want 1", len(is))
	}
}

func TestReviewCommentOutsideTheDiffGoesToTheConversationOnce(t *testing.T) {
	fx := newFixture(t)
	id, key := crispPair(t)
	commit := randHex(t, 40)
	f := crispFinding(id, key, "config/crisp.env", commit, finding.Live)
	n := fx.prFixture(commit, "config/crisp.env", 7) // line 2 is not in the diff
	fx.run(t, []finding.Finding{f})
	fx.run(t, []finding.Finding{f})
	if rc := fx.gh.ReviewComments("acme/app", n); len(rc) != 0 {
		t.Errorf("review comments %+v on a line outside the diff", rc)
	}
	conv := fx.gh.Conversation("acme/app", n)
	if len(conv) != 1 || !strings.Contains(conv[0], ReviewMarker(f.Fingerprint)) || !strings.Contains(conv[0], "`config/crisp.env` line 2") {
		t.Fatalf("conversation %q, want one comment naming the line", conv)
	}
	noRaw(t, "conversation comment", conv[0], id, key)
}

func TestReviewCommentUpdatedAndFoundPastTheFirstPage(t *testing.T) {
	fx := newFixture(t)
	id, key := crispPair(t)
	head := randHex(t, 40)
	n := fx.prFixture(head, "a.env", 2)
	gh := fx.client()
	for i := 0; i < 120; i++ {
		c := ReviewComment{Path: "a.env", Line: 2, Body: fmt.Sprintf("nit %d", i)}
		if _, err := gh.CreateReviewComment(context.Background(), "acme/app", n, head, c); err != nil {
			t.Fatal(err)
		}
	}
	f := crispFinding(id, key, "a.env", "", finding.Live) // no commit: the head is asked for
	f.Validation.Tier = "website"
	fx.run(t, []finding.Finding{f})
	f.Validation.Tier = "plugin" // the text changes: the comment is edited
	fx.run(t, []finding.Finding{f})
	rc := fx.gh.ReviewComments("acme/app", n)
	if len(rc) != 121 {
		t.Fatalf("%d review comments, want the 120 others and one", len(rc))
	}
	last := rc[120]
	if last.CommitID != head || !strings.Contains(last.Body, "Tokens tab") || strings.Contains(last.Body, "Regenerate") {
		t.Errorf("review comment commit %s body:\n%s", last.CommitID, last.Body)
	}
}
