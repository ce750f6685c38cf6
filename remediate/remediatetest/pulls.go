package remediatetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// ReviewComment is a pull-request review comment as the stand-in keeps it.
type ReviewComment struct {
	ID       int64
	Path     string
	Line     int
	Side     string
	CommitID string
	Body     string
}

// pull is a pull request: its commits, the lines of its diff a review
// comment may go on (path -> RIGHT-side lines) and its review comments.
type pull struct {
	issue   *Issue
	head    string
	commits map[string]bool
	diff    map[string]map[int]bool
	reviews []*ReviewComment
}

// AddPullRequest opens a pull request in repo whose commits are commits,
// the last being its head, and returns its number (shared with issues, as
// at GitHub).
func (g *GitHub) AddPullRequest(repo string, commits ...string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	is := &Issue{Number: len(g.repos[repo]) + 1, Title: "a pull request", State: "open", pull: true}
	g.repos[repo] = append(g.repos[repo], is)
	p := &pull{issue: is, commits: map[string]bool{}, diff: map[string]map[int]bool{}}
	for _, c := range commits {
		p.commits[c], p.head = true, c
	}
	g.pulls[fmt.Sprintf("%s#%d", repo, is.Number)] = p
	return is.Number
}

// DiffLines makes lines of path (in the new version) part of the pull
// request's diff: review comments on other lines are refused with a 422.
func (g *GitHub) DiffLines(repo string, number int, path string, lines ...int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	p := g.pulls[fmt.Sprintf("%s#%d", repo, number)]
	if p.diff[path] == nil {
		p.diff[path] = map[int]bool{}
	}
	for _, l := range lines {
		p.diff[path][l] = true
	}
}

// ReviewComments returns a copy of the pull request's review comments.
func (g *GitHub) ReviewComments(repo string, number int) []ReviewComment {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []ReviewComment
	if p := g.pulls[fmt.Sprintf("%s#%d", repo, number)]; p != nil {
		for _, c := range p.reviews {
			out = append(out, *c)
		}
	}
	return out
}

// Conversation returns the comments of the pull request's conversation.
func (g *GitHub) Conversation(repo string, number int) []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	if p := g.pulls[fmt.Sprintf("%s#%d", repo, number)]; p != nil {
		return append([]string(nil), p.issue.Comments...)
	}
	return nil
}

var (
	pullPath          = regexp.MustCompile(`^/repos/([^/]+/[^/]+)/pulls/(\d+)$`)
	pullCommentsPath  = regexp.MustCompile(`^/repos/([^/]+/[^/]+)/pulls/(\d+)/comments$`)
	reviewCommentPath = regexp.MustCompile(`^/repos/([^/]+/[^/]+)/pulls/comments/(\d+)$`)
)

// servePulls answers the pull-request endpoints; false when p is not one.
func (g *GitHub) servePulls(w http.ResponseWriter, r *http.Request, p string) bool {
	var m []string
	switch {
	case r.Method == http.MethodGet && match(pullPath, p, &m):
		if pr := g.pull(w, m[1], m[2]); pr != nil {
			writeJSON(w, http.StatusOK, map[string]any{"number": pr.issue.Number, "state": pr.issue.State,
				"head": map[string]string{"sha": pr.head}})
		}
	case r.Method == http.MethodGet && match(pullCommentsPath, p, &m):
		if pr := g.pull(w, m[1], m[2]); pr != nil {
			lo, hi := g.page(w, r, len(pr.reviews))
			out := []map[string]any{}
			for _, c := range pr.reviews[lo:hi] {
				out = append(out, reviewView(m[1], pr, c))
			}
			writeJSON(w, http.StatusOK, out)
		}
	case r.Method == http.MethodPost && match(pullCommentsPath, p, &m):
		if pr := g.pull(w, m[1], m[2]); pr != nil {
			g.createReview(w, r, m[1], pr)
		}
	case r.Method == http.MethodPatch && match(reviewCommentPath, p, &m):
		g.editReview(w, r, m[1], m[2])
	default:
		return false
	}
	return true
}

func (g *GitHub) pull(w http.ResponseWriter, repo, num string) *pull {
	if !g.repo(w, repo) {
		return nil
	}
	pr := g.pulls[repo+"#"+num]
	if pr == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
	}
	return pr
}

func reviewView(repo string, pr *pull, c *ReviewComment) map[string]any {
	return map[string]any{"id": c.ID, "path": c.Path, "line": c.Line, "side": c.Side, "commit_id": c.CommitID,
		"body": c.Body, "html_url": fmt.Sprintf("https://github.example/%s/pull/%d#discussion_r%d", repo, pr.issue.Number, c.ID)}
}

// createReview adds a review comment; as GitHub, it refuses (422) a commit
// that is not the pull request's, and a line that is not part of its diff.
func (g *GitHub) createReview(w http.ResponseWriter, r *http.Request, repo string, pr *pull) {
	var req struct {
		Body     string `json:"body"`
		CommitID string `json:"commit_id"`
		Path     string `json:"path"`
		Side     string `json:"side"`
		Line     int    `json:"line"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Problems parsing JSON"})
		return
	}
	fail := func(msg string) {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Validation Failed: " + msg})
	}
	switch {
	case strings.TrimSpace(req.Body) == "" || req.Path == "" || req.CommitID == "" || req.Line <= 0:
		fail("body, commit_id, path and line are required")
	case !pr.commits[req.CommitID]:
		fail("commit_id is not part of the pull request")
	case req.Side != "" && req.Side != "RIGHT" || !pr.diff[req.Path][req.Line]:
		fail("pull_request_review_thread.line must be part of the diff")
	default:
		if req.Side == "" {
			req.Side = "RIGHT"
		}
		g.lastID++
		c := &ReviewComment{ID: g.lastID, Path: req.Path, Line: req.Line, Side: req.Side, CommitID: req.CommitID, Body: req.Body}
		pr.reviews = append(pr.reviews, c)
		writeJSON(w, http.StatusCreated, reviewView(repo, pr, c))
	}
}

func (g *GitHub) editReview(w http.ResponseWriter, r *http.Request, repo, id string) {
	if !g.repo(w, repo) {
		return
	}
	n, _ := strconv.ParseInt(id, 10, 64)
	for key, pr := range g.pulls {
		for _, c := range pr.reviews {
			if c.ID == n && strings.HasPrefix(key, repo+"#") {
				var req struct{ Body string }
				if err := json.NewDecoder(r.Body).Decode(&req); err != nil || strings.TrimSpace(req.Body) == "" {
					writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Validation Failed"})
					return
				}
				c.Body = req.Body
				writeJSON(w, http.StatusOK, reviewView(repo, pr, c))
				return
			}
		}
	}
	writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
}

// comments pages the comments of an issue or pull request's conversation.
func (g *GitHub) comments(w http.ResponseWriter, r *http.Request, repo, num string) {
	is := g.find(w, repo, num)
	if is == nil {
		return
	}
	lo, hi := g.page(w, r, len(is.Comments))
	out := []map[string]any{}
	for i := lo; i < hi; i++ {
		out = append(out, g.commentView(repo, is, i))
	}
	writeJSON(w, http.StatusOK, out)
}

func (g *GitHub) commentView(repo string, is *Issue, i int) map[string]any {
	return map[string]any{"id": is.commentIDs[i], "body": is.Comments[i],
		"html_url": fmt.Sprintf("https://github.example/%s/issues/%d#issuecomment-%d", repo, is.Number, is.commentIDs[i])}
}

func (g *GitHub) editComment(w http.ResponseWriter, r *http.Request, repo, id string) {
	if !g.repo(w, repo) {
		return
	}
	n, _ := strconv.ParseInt(id, 10, 64)
	for _, is := range g.repos[repo] {
		for i, cid := range is.commentIDs {
			if cid != n {
				continue
			}
			var req struct{ Body string }
			if err := json.NewDecoder(r.Body).Decode(&req); err != nil || strings.TrimSpace(req.Body) == "" {
				writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Validation Failed"})
				return
			}
			is.Comments[i] = req.Body
			writeJSON(w, http.StatusOK, g.commentView(repo, is, i))
			return
		}
	}
	writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
}

// page reads per_page (default 30, at most 100) and page, sets the Link
// header to the next page when there is one, and returns the bounds of the
// page among n items.
func (g *GitHub) page(w http.ResponseWriter, r *http.Request, n int) (int, int) {
	q := r.URL.Query()
	per, _ := strconv.Atoi(q.Get("per_page"))
	if per <= 0 || per > 100 {
		per = 30
	}
	page, _ := strconv.Atoi(q.Get("page"))
	if page < 1 {
		page = 1
	}
	if page*per < n {
		q.Set("page", strconv.Itoa(page+1))
		w.Header().Set("Link", fmt.Sprintf(`<%s%s?%s>; rel="next"`, g.URL, r.URL.Path, q.Encode()))
	}
	return min((page-1)*per, n), min(page*per, n)
}
