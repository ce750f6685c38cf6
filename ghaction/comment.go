package ghaction

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-github/v62/github"
)

// CommentMarker is the hidden line that marks the scanner's pull-request
// comment, so that later runs find and update it instead of adding another.
const CommentMarker = "<!-- scanner:pr-comment -->"

// Comment is a pull request's comment thread the action writes to.
type Comment struct {
	Client      *github.Client
	Owner, Repo string
	Number      int
}

// ParseRepository splits "owner/name".
func ParseRepository(full string) (owner, repo string, err error) {
	owner, repo, ok := strings.Cut(full, "/")
	if !ok || owner == "" || repo == "" || strings.Contains(repo, "/") {
		return "", "", fmt.Errorf("repository %q is not owner/name", full)
	}
	return owner, repo, nil
}

// Upsert writes body (the marker is added) as the scanner's comment: it
// edits the comment an earlier run left, or creates one. With create false
// (a clean run) no new comment is made, but an earlier one is updated so it
// no longer reports what has been fixed. It returns the comment's id (0 when
// none was written) and whether it was created.
func (c Comment) Upsert(ctx context.Context, body string, create bool) (int64, bool, error) {
	body = CommentMarker + "\n" + body
	id, err := c.find(ctx)
	if err != nil {
		return 0, false, err
	}
	if id != 0 {
		_, _, err := c.Client.Issues.EditComment(ctx, c.Owner, c.Repo, id, &github.IssueComment{Body: &body})
		if err != nil {
			return 0, false, fmt.Errorf("update comment %d on pull request #%d: %w", id, c.Number, err)
		}
		return id, false, nil
	}
	if !create {
		return 0, false, nil
	}
	made, _, err := c.Client.Issues.CreateComment(ctx, c.Owner, c.Repo, c.Number, &github.IssueComment{Body: &body})
	if err != nil {
		return 0, false, fmt.Errorf("comment on pull request #%d: %w", c.Number, err)
	}
	return made.GetID(), true, nil
}

// find returns the id of the comment that carries the marker, or 0.
func (c Comment) find(ctx context.Context) (int64, error) {
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for {
		cs, resp, err := c.Client.Issues.ListComments(ctx, c.Owner, c.Repo, c.Number, opts)
		if err != nil {
			return 0, fmt.Errorf("list the comments of pull request #%d: %w", c.Number, err)
		}
		for _, ic := range cs {
			if strings.HasPrefix(ic.GetBody(), CommentMarker) {
				return ic.GetID(), nil
			}
		}
		if resp.NextPage == 0 {
			return 0, nil
		}
		opts.Page = resp.NextPage
	}
}
