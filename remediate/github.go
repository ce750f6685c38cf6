package remediate

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/google/go-github/v62/github"
)

// Issue is the part of a GitHub issue remediation uses.
type Issue struct {
	Number  int
	HTMLURL string
	State   string
	Body    string
}

// IssueRequest creates or edits an issue; nil fields are left alone.
type IssueRequest struct {
	Title     *string
	Body      *string
	State     *string
	Labels    *[]string
	Assignees *[]string
}

// issueTracker is what remediation needs from GitHub.
type issueTracker interface {
	CommitAuthor(ctx context.Context, repo, sha string) (string, error)
	MarkedIssues(ctx context.Context, repo string) (map[string]*Issue, error)
	CreateIssue(ctx context.Context, repo string, req IssueRequest) (*Issue, error)
	EditIssue(ctx context.Context, repo string, number int, req IssueRequest) (*Issue, error)
	Comment(ctx context.Context, repo string, number int, body string) error
	reviewer
}

var _ issueTracker = (*GitHub)(nil)

// GitHub is remediation's view of the GitHub REST API: the endpoints it
// uses, on a go-github client that ghapi.New built (github.com or a GitHub
// Enterprise Server, with ghapi's timeout and retries).
type GitHub struct {
	c *github.Client
}

// NewGitHub returns remediation's GitHub on c, a client from ghapi.New.
func NewGitHub(c *github.Client) *GitHub { return &GitHub{c: c} }

// splitRepo splits "owner/name".
func splitRepo(repo string) (string, string, error) {
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return "", "", fmt.Errorf("github: repository %q is not owner/name", repo)
	}
	return owner, name, nil
}

// CommitAuthor returns the GitHub login of the author of commit sha, or ""
// when GitHub does not link the commit to an account.
func (g *GitHub) CommitAuthor(ctx context.Context, repo, sha string) (string, error) {
	owner, name, err := splitRepo(repo)
	if err != nil {
		return "", err
	}
	c, _, err := g.c.Repositories.GetCommit(ctx, owner, name, sha, nil)
	if err != nil {
		return "", fmt.Errorf("github: commit %s of %s: %w", sha, repo, err)
	}
	return c.GetAuthor().GetLogin(), nil
}

var markerRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`<!-- scanner:incident (sha256:[0-9a-f]{64}) -->`)
})

// MarkedIssues returns the repository's issues (open or closed, not pull
// requests) that carry an incident marker, by fingerprint; the oldest wins.
// It pages through the issue list, which is consistent at once, unlike search.
func (g *GitHub) MarkedIssues(ctx context.Context, repo string) (map[string]*Issue, error) {
	owner, name, err := splitRepo(repo)
	if err != nil {
		return nil, err
	}
	out := map[string]*Issue{}
	opts := &github.IssueListByRepoOptions{State: "all", Sort: "created", Direction: "asc",
		ListOptions: github.ListOptions{PerPage: 100}}
	for page := 0; page < 1000; page++ {
		issues, resp, err := g.c.Issues.ListByRepo(ctx, owner, name, opts)
		if err != nil {
			return nil, fmt.Errorf("github: list the issues of %s: %w", repo, err)
		}
		for _, is := range issues {
			m := markerRe().FindStringSubmatch(is.GetBody())
			if m != nil && !is.IsPullRequest() && out[m[1]] == nil {
				out[m[1]] = fromIssue(is)
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	return out, nil
}

func fromIssue(is *github.Issue) *Issue {
	return &Issue{Number: is.GetNumber(), HTMLURL: is.GetHTMLURL(), State: is.GetState(), Body: is.GetBody()}
}

func (req IssueRequest) github() *github.IssueRequest {
	return &github.IssueRequest{Title: req.Title, Body: req.Body, State: req.State, Labels: req.Labels, Assignees: req.Assignees}
}

// CreateIssue opens an issue.
func (g *GitHub) CreateIssue(ctx context.Context, repo string, req IssueRequest) (*Issue, error) {
	owner, name, err := splitRepo(repo)
	if err != nil {
		return nil, err
	}
	is, _, err := g.c.Issues.Create(ctx, owner, name, req.github())
	if err != nil {
		return nil, fmt.Errorf("github: open an issue in %s: %w", repo, err)
	}
	return fromIssue(is), nil
}

// EditIssue edits an issue.
func (g *GitHub) EditIssue(ctx context.Context, repo string, number int, req IssueRequest) (*Issue, error) {
	owner, name, err := splitRepo(repo)
	if err != nil {
		return nil, err
	}
	is, _, err := g.c.Issues.Edit(ctx, owner, name, number, req.github())
	if err != nil {
		return nil, fmt.Errorf("github: edit issue #%d of %s: %w", number, repo, err)
	}
	return fromIssue(is), nil
}

// Comment adds a comment to an issue (or a pull request's conversation).
func (g *GitHub) Comment(ctx context.Context, repo string, number int, body string) error {
	owner, name, err := splitRepo(repo)
	if err != nil {
		return err
	}
	_, _, err = g.c.Issues.CreateComment(ctx, owner, name, number, &github.IssueComment{Body: &body})
	if err != nil {
		return fmt.Errorf("github: comment on #%d of %s: %w", number, repo, err)
	}
	return nil
}

// unprocessable reports a 422: GitHub refused a field (an assignee without
// access to the repository, a review comment on a line outside the diff).
func unprocessable(err error) bool {
	var ge *github.ErrorResponse
	return errors.As(err, &ge) && ge.Response != nil && ge.Response.StatusCode == http.StatusUnprocessableEntity
}

// ParseRepo reads "owner/name" from a remote URL (https, ssh or scp-like),
// or returns "".
func ParseRepo(remote string) string {
	s := strings.TrimSuffix(strings.TrimSpace(remote), "/")
	s = strings.TrimSuffix(s, ".git")
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
		if j := strings.Index(s, "/"); j >= 0 {
			s = s[j+1:]
		} else {
			return ""
		}
	} else if i := strings.Index(s, ":"); i >= 0 {
		s = s[i+1:]
	}
	parts := strings.Split(s, "/")
	if len(parts) < 2 || parts[len(parts)-2] == "" || parts[len(parts)-1] == "" {
		return ""
	}
	return parts[len(parts)-2] + "/" + parts[len(parts)-1]
}
