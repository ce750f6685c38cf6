package remediate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Issue is the part of a GitHub issue remediation uses.
type Issue struct {
	Number      int    `json:"number"`
	HTMLURL     string `json:"html_url"`
	State       string `json:"state"`
	Body        string `json:"body"`
	PullRequest any    `json:"pull_request,omitempty"`
}

// IssueRequest creates or edits an issue; nil fields are left alone.
type IssueRequest struct {
	Title     *string   `json:"title,omitempty"`
	Body      *string   `json:"body,omitempty"`
	State     *string   `json:"state,omitempty"`
	Labels    *[]string `json:"labels,omitempty"`
	Assignees *[]string `json:"assignees,omitempty"`
}

// issueTracker is what remediation needs from GitHub.
type issueTracker interface {
	CommitAuthor(ctx context.Context, repo, sha string) (string, error)
	MarkedIssues(ctx context.Context, repo string) (map[string]*Issue, error)
	CreateIssue(ctx context.Context, repo string, req IssueRequest) (*Issue, error)
	EditIssue(ctx context.Context, repo string, number int, req IssueRequest) (*Issue, error)
	Comment(ctx context.Context, repo string, number int, body string) error
}

var _ issueTracker = (*GitHub)(nil)

// GitHub is a small REST client for the endpoints remediation uses, on
// github.com or a GitHub Enterprise Server (GITHUB_API_URL).
type GitHub struct {
	base  string
	token string
	http  *http.Client
}

// NewGitHub returns a client for the API at base (default
// https://api.github.com) authenticated with token.
func NewGitHub(base, token string, c *http.Client) *GitHub {
	if base == "" {
		base = "https://api.github.com"
	}
	if c == nil {
		c = http.DefaultClient
	}
	return &GitHub{base: strings.TrimRight(base, "/"), token: token, http: c}
}

// APIError is a GitHub answer other than 2xx.
type APIError struct {
	Method, Path string
	Status       int
	Message      string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("github: %s %s: %d %s", e.Method, e.Path, e.Status, e.Message)
}

func (g *GitHub) do(ctx context.Context, method, path string, in, out any) (string, error) {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return "", err
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, g.base+path, body)
	if err != nil {
		return "", fmt.Errorf("github: %w", err)
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	if g.token != "" {
		req.Header.Set("Authorization", "Bearer "+g.token)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := g.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("github: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if resp.StatusCode/100 != 2 {
		var m struct{ Message string }
		_ = json.Unmarshal(data, &m)
		return "", &APIError{Method: method, Path: path, Status: resp.StatusCode, Message: m.Message}
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return "", fmt.Errorf("github: %s %s: %w", method, path, err)
		}
	}
	return resp.Header.Get("Link"), nil
}

// CommitAuthor returns the GitHub login of the author of commit sha, or ""
// when GitHub does not link the commit to an account.
func (g *GitHub) CommitAuthor(ctx context.Context, repo, sha string) (string, error) {
	var c struct {
		Author *struct{ Login string } `json:"author"`
	}
	if _, err := g.do(ctx, http.MethodGet, "/repos/"+repo+"/commits/"+url.PathEscape(sha), nil, &c); err != nil {
		return "", err
	}
	if c.Author == nil {
		return "", nil
	}
	return c.Author.Login, nil
}

var (
	nextLink = regexp.MustCompile(`<([^>]+)>;\s*rel="next"`)
	markerRe = regexp.MustCompile(`<!-- scanner:incident (sha256:[0-9a-f]{64}) -->`)
)

// MarkedIssues returns the repository's issues (open or closed, not pull
// requests) that carry an incident marker, by fingerprint; the oldest wins.
// It pages through the issue list, which is consistent at once, unlike search.
func (g *GitHub) MarkedIssues(ctx context.Context, repo string) (map[string]*Issue, error) {
	out := map[string]*Issue{}
	path := "/repos/" + repo + "/issues?state=all&per_page=100&sort=created&direction=asc"
	for page := 0; path != "" && page < 1000; page++ {
		var issues []Issue
		link, err := g.do(ctx, http.MethodGet, path, nil, &issues)
		if err != nil {
			return nil, err
		}
		for i := range issues {
			m := markerRe.FindStringSubmatch(issues[i].Body)
			if m != nil && issues[i].PullRequest == nil && out[m[1]] == nil {
				out[m[1]] = &issues[i]
			}
		}
		path = ""
		if m := nextLink.FindStringSubmatch(link); m != nil {
			path = strings.TrimPrefix(m[1], g.base)
		}
	}
	return out, nil
}

// CreateIssue opens an issue.
func (g *GitHub) CreateIssue(ctx context.Context, repo string, req IssueRequest) (*Issue, error) {
	var is Issue
	_, err := g.do(ctx, http.MethodPost, "/repos/"+repo+"/issues", req, &is)
	return &is, err
}

// EditIssue edits an issue.
func (g *GitHub) EditIssue(ctx context.Context, repo string, number int, req IssueRequest) (*Issue, error) {
	var is Issue
	_, err := g.do(ctx, http.MethodPatch, fmt.Sprintf("/repos/%s/issues/%d", repo, number), req, &is)
	return &is, err
}

// Comment adds a comment to an issue.
func (g *GitHub) Comment(ctx context.Context, repo string, number int, body string) error {
	_, err := g.do(ctx, http.MethodPost, fmt.Sprintf("/repos/%s/issues/%d/comments", repo, number),
		map[string]string{"body": body}, nil)
	return err
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
