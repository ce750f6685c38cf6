package remediatetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Issue is an issue as the stand-in keeps it.
type Issue struct {
	Number    int
	Title     string
	Body      string
	State     string
	Labels    []string
	Assignees []string
	Comments  []string

	pull       bool    // a pull request (GitHub counts them as issues)
	commentIDs []int64 // the ids of Comments
}

// GitHub is a stand-in GitHub REST API: repositories, commits with their
// author logins, issues and comments.
type GitHub struct {
	URL   string // base URL, for GITHUB_API_URL
	token string

	mu         sync.Mutex
	repos      map[string][]*Issue
	authors    map[string]string // repo@sha -> login
	assignable map[string]bool
	requests   []string
	pulls      map[string]*pull // repo#number -> pull request
	lastID     int64            // comment ids are global, as at GitHub
	faults     []*Fault
	latency    atomic.Int64 // a delay before each answer, so that concurrent runs overlap
}

// NewGitHub starts the stand-in; requests must carry token.
func NewGitHub(t testing.TB, token string) *GitHub {
	g := &GitHub{token: token, repos: map[string][]*Issue{}, authors: map[string]string{},
		assignable: map[string]bool{}, pulls: map[string]*pull{}}
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	g.URL = srv.URL
	return g
}

// AddRepo creates a repository whose assignable users are logins.
func (g *GitHub) AddRepo(repo string, logins ...string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.repos[repo] = nil
	for _, l := range logins {
		g.assignable[l] = true
	}
}

// SetCommitAuthor links commit sha of repo to the GitHub account login.
func (g *GitHub) SetCommitAuthor(repo, sha, login string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.authors[repo+"@"+sha] = login
}

// Issues returns a copy of the repository's issues (not its pull requests).
func (g *GitHub) Issues(repo string) []Issue {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []Issue
	for _, is := range g.repos[repo] {
		if is.pull {
			continue
		}
		c := *is
		c.Comments = append([]string(nil), is.Comments...)
		out = append(out, c)
	}
	return out
}

// Requests returns "METHOD path" of every request so far.
func (g *GitHub) Requests() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.requests...)
}

var (
	commitPath  = regexp.MustCompile(`^/repos/([^/]+/[^/]+)/commits/([^/]+)$`)
	issuesPath  = regexp.MustCompile(`^/repos/([^/]+/[^/]+)/issues$`)
	issuePath   = regexp.MustCompile(`^/repos/([^/]+/[^/]+)/issues/(\d+)$`)
	commentPath = regexp.MustCompile(`^/repos/([^/]+/[^/]+)/issues/(\d+)/comments$`)
	editComment = regexp.MustCompile(`^/repos/([^/]+/[^/]+)/issues/comments/(\d+)$`)
)

// ServeHTTP answers as the GitHub REST API does, at the root as
// api.github.com and under /api/v3 as a GitHub Enterprise Server.
func (g *GitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if d := time.Duration(g.latency.Load()); d > 0 {
		time.Sleep(d)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.requests = append(g.requests, r.Method+" "+r.URL.Path)
	w.Header().Set("Content-Type", "application/json")
	if r.Header.Get("Authorization") != "Bearer "+g.token {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Bad credentials"})
		return
	}
	p := strings.TrimPrefix(r.URL.Path, "/api/v3")
	if f := g.fault(r.Method, p); f != nil {
		if f.After {
			g.route(httptest.NewRecorder(), r, p)
		}
		f.write(w)
		return
	}
	g.route(w, r, p)
}

// route answers a request as GitHub does.
func (g *GitHub) route(w http.ResponseWriter, r *http.Request, p string) {
	var m []string
	if g.servePulls(w, r, p) {
		return
	}
	switch {
	case r.Method == http.MethodGet && match(commitPath, p, &m):
		g.commit(w, m[1], m[2])
	case r.Method == http.MethodGet && match(issuesPath, p, &m):
		g.list(w, r, m[1])
	case r.Method == http.MethodPost && match(issuesPath, p, &m):
		g.create(w, r, m[1])
	case r.Method == http.MethodPatch && match(issuePath, p, &m):
		g.edit(w, r, m[1], m[2])
	case r.Method == http.MethodPost && match(commentPath, p, &m):
		g.comment(w, r, m[1], m[2])
	case r.Method == http.MethodGet && match(commentPath, p, &m):
		g.comments(w, r, m[1], m[2])
	case r.Method == http.MethodPatch && match(editComment, p, &m):
		g.editComment(w, r, m[1], m[2])
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
	}
}

func match(re *regexp.Regexp, p string, m *[]string) bool {
	*m = re.FindStringSubmatch(p)
	return *m != nil
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func (g *GitHub) repo(w http.ResponseWriter, repo string) bool {
	if _, ok := g.repos[repo]; !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
		return false
	}
	return true
}

func (g *GitHub) commit(w http.ResponseWriter, repo, sha string) {
	if !g.repo(w, repo) {
		return
	}
	login, ok := g.authors[repo+"@"+sha]
	if !ok {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "No commit found for SHA: " + sha})
		return
	}
	var author any
	if login != "" {
		author = map[string]any{"login": login, "type": "User"}
	}
	writeJSON(w, http.StatusOK, map[string]any{"sha": sha, "author": author})
}

func (g *GitHub) view(repo string, is *Issue) map[string]any {
	labels := []map[string]string{}
	for _, l := range is.Labels {
		labels = append(labels, map[string]string{"name": l})
	}
	assignees := []map[string]string{}
	for _, a := range is.Assignees {
		assignees = append(assignees, map[string]string{"login": a})
	}
	v := map[string]any{"number": is.Number, "title": is.Title, "body": is.Body, "state": is.State,
		"labels": labels, "assignees": assignees, "comments": len(is.Comments),
		"html_url": fmt.Sprintf("https://github.example/%s/issues/%d", repo, is.Number)}
	if is.pull {
		v["pull_request"] = map[string]string{"html_url": fmt.Sprintf("https://github.example/%s/pull/%d", repo, is.Number)}
	}
	return v
}

// list pages the issues: state defaults to open, per_page to 30.
func (g *GitHub) list(w http.ResponseWriter, r *http.Request, repo string) {
	if !g.repo(w, repo) {
		return
	}
	q := r.URL.Query()
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	var sel []*Issue
	for _, is := range g.repos[repo] {
		if state == "all" || is.State == state {
			sel = append(sel, is)
		}
	}
	lo, hi := g.page(w, r, len(sel))
	out := []map[string]any{}
	for _, is := range sel[lo:hi] {
		out = append(out, g.view(repo, is))
	}
	writeJSON(w, http.StatusOK, out)
}

type issueEdit struct {
	Title     *string   `json:"title"`
	Body      *string   `json:"body"`
	State     *string   `json:"state"`
	Labels    *[]string `json:"labels"`
	Assignees *[]string `json:"assignees"`
}

func (g *GitHub) create(w http.ResponseWriter, r *http.Request, repo string) {
	if !g.repo(w, repo) {
		return
	}
	var req issueEdit
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Title == nil || *req.Title == "" {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Validation Failed"})
		return
	}
	is := &Issue{Number: len(g.repos[repo]) + 1, State: "open"}
	if !g.apply(w, is, req) {
		return
	}
	g.repos[repo] = append(g.repos[repo], is)
	writeJSON(w, http.StatusCreated, g.view(repo, is))
}

// apply edits is; an assignee without access is a 422.
func (g *GitHub) apply(w http.ResponseWriter, is *Issue, req issueEdit) bool {
	if req.Assignees != nil {
		for _, a := range *req.Assignees {
			if !g.assignable[a] {
				writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Validation Failed: assignee " + a})
				return false
			}
		}
		is.Assignees = *req.Assignees
	}
	if req.Title != nil {
		is.Title = *req.Title
	}
	if req.Body != nil {
		is.Body = *req.Body
	}
	if req.State != nil {
		is.State = *req.State
	}
	if req.Labels != nil {
		is.Labels = *req.Labels
	}
	return true
}

func (g *GitHub) find(w http.ResponseWriter, repo, num string) *Issue {
	if !g.repo(w, repo) {
		return nil
	}
	n, _ := strconv.Atoi(num)
	if n < 1 || n > len(g.repos[repo]) {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
		return nil
	}
	return g.repos[repo][n-1]
}

func (g *GitHub) edit(w http.ResponseWriter, r *http.Request, repo, num string) {
	is := g.find(w, repo, num)
	if is == nil {
		return
	}
	var req issueEdit
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Problems parsing JSON"})
		return
	}
	if req.State != nil && *req.State != "open" && *req.State != "closed" {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Validation Failed"})
		return
	}
	if g.apply(w, is, req) {
		writeJSON(w, http.StatusOK, g.view(repo, is))
	}
}

func (g *GitHub) comment(w http.ResponseWriter, r *http.Request, repo, num string) {
	is := g.find(w, repo, num)
	if is == nil {
		return
	}
	var req struct{ Body string }
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || strings.TrimSpace(req.Body) == "" {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Validation Failed"})
		return
	}
	g.lastID++
	is.Comments = append(is.Comments, req.Body)
	is.commentIDs = append(is.commentIDs, g.lastID)
	writeJSON(w, http.StatusCreated, g.commentView(repo, is, len(is.Comments)-1))
}
