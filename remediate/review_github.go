package remediate

import (
	"context"
	"fmt"

	"github.com/google/go-github/v62/github"
)

// ReviewComment is a comment on a pull request: a review comment on a line
// (Path and Line set) or a comment in its conversation (no Path).
type ReviewComment struct {
	ID      int64
	Path    string
	Line    int
	Body    string
	HTMLURL string
}

// reviewer is what the review-comment channel needs from GitHub.
type reviewer interface {
	PullHead(ctx context.Context, repo string, number int) (string, error)
	ReviewComments(ctx context.Context, repo string, number int) ([]ReviewComment, error)
	CreateReviewComment(ctx context.Context, repo string, number int, commit string, c ReviewComment) (*ReviewComment, error)
	EditReviewComment(ctx context.Context, repo string, id int64, body string) error
	IssueComments(ctx context.Context, repo string, number int) ([]ReviewComment, error)
	EditComment(ctx context.Context, repo string, id int64, body string) error
}

// PullHead returns the head commit of pull request number.
func (g *GitHub) PullHead(ctx context.Context, repo string, number int) (string, error) {
	owner, name, err := splitRepo(repo)
	if err != nil {
		return "", err
	}
	pr, _, err := g.c.PullRequests.Get(ctx, owner, name, number)
	if err != nil {
		return "", fmt.Errorf("github: pull request #%d of %s: %w", number, repo, err)
	}
	return pr.GetHead().GetSHA(), nil
}

// ReviewComments returns every review comment of pull request number, all
// pages.
func (g *GitHub) ReviewComments(ctx context.Context, repo string, number int) ([]ReviewComment, error) {
	owner, name, err := splitRepo(repo)
	if err != nil {
		return nil, err
	}
	var out []ReviewComment
	opts := &github.PullRequestListCommentsOptions{Sort: "created", Direction: "asc", ListOptions: github.ListOptions{PerPage: 100}}
	for page := 0; page < 1000; page++ {
		cs, resp, err := g.c.PullRequests.ListComments(ctx, owner, name, number, opts)
		if err != nil {
			return nil, fmt.Errorf("github: list the review comments of pull request #%d of %s: %w", number, repo, err)
		}
		for _, c := range cs {
			out = append(out, ReviewComment{ID: c.GetID(), Path: c.GetPath(), Line: c.GetLine(), Body: c.GetBody(), HTMLURL: c.GetHTMLURL()})
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	return out, nil
}

// CreateReviewComment comments on line c.Line (the new version of the file:
// side RIGHT) of c.Path in pull request number, as of commit. GitHub
// answers 422 when the line is not part of the pull request's diff.
func (g *GitHub) CreateReviewComment(ctx context.Context, repo string, number int, commit string, c ReviewComment) (*ReviewComment, error) {
	owner, name, err := splitRepo(repo)
	if err != nil {
		return nil, err
	}
	side := "RIGHT"
	in := &github.PullRequestComment{Body: &c.Body, CommitID: &commit, Path: &c.Path, Line: &c.Line, Side: &side}
	made, _, err := g.c.PullRequests.CreateComment(ctx, owner, name, number, in)
	if err != nil {
		return nil, fmt.Errorf("github: review comment on %s line %d in pull request #%d of %s: %w", c.Path, c.Line, number, repo, err)
	}
	return &ReviewComment{ID: made.GetID(), Path: made.GetPath(), Line: made.GetLine(), Body: made.GetBody(), HTMLURL: made.GetHTMLURL()}, nil
}

// EditReviewComment replaces the body of review comment id.
func (g *GitHub) EditReviewComment(ctx context.Context, repo string, id int64, body string) error {
	owner, name, err := splitRepo(repo)
	if err != nil {
		return err
	}
	if _, _, err := g.c.PullRequests.EditComment(ctx, owner, name, id, &github.PullRequestComment{Body: &body}); err != nil {
		return fmt.Errorf("github: edit review comment %d of %s: %w", id, repo, err)
	}
	return nil
}

// IssueComments returns every comment of issue (or pull request) number's
// conversation, all pages.
func (g *GitHub) IssueComments(ctx context.Context, repo string, number int) ([]ReviewComment, error) {
	owner, name, err := splitRepo(repo)
	if err != nil {
		return nil, err
	}
	var out []ReviewComment
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for page := 0; page < 1000; page++ {
		cs, resp, err := g.c.Issues.ListComments(ctx, owner, name, number, opts)
		if err != nil {
			return nil, fmt.Errorf("github: list the comments of #%d of %s: %w", number, repo, err)
		}
		for _, c := range cs {
			out = append(out, ReviewComment{ID: c.GetID(), Body: c.GetBody(), HTMLURL: c.GetHTMLURL()})
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	return out, nil
}

// EditComment replaces the body of issue comment id.
func (g *GitHub) EditComment(ctx context.Context, repo string, id int64, body string) error {
	owner, name, err := splitRepo(repo)
	if err != nil {
		return err
	}
	if _, _, err := g.c.Issues.EditComment(ctx, owner, name, id, &github.IssueComment{Body: &body}); err != nil {
		return fmt.Errorf("github: edit comment %d of %s: %w", id, repo, err)
	}
	return nil
}
