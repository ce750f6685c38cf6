package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
)

// commentAPI serves the issue-comment endpoints of the GitHub REST API
// for one pull request, as a GitHub Enterprise Server would (under
// /api/v3): list (paginated with Link headers), create and edit.
type commentAPI struct {
	t              *testing.T
	url, token     string
	owner, repo    string
	number         int
	mu             sync.Mutex
	comments       []apiComment
	nextID         int64
	posts, patches int
}

type apiComment struct {
	ID   int64  `json:"id"`
	Body string `json:"body"`
	User struct {
		Login string `json:"login"`
	} `json:"user"`
}

// commentPageSize is smaller than what the client asks for, to make it follow
// the Link header.
const commentPageSize = 2

func newCommentAPI(t *testing.T, owner, repo string, number int) *commentAPI {
	t.Helper()
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	g := &commentAPI{t: t, token: "ghs_" + hex.EncodeToString(b[:]), owner: owner, repo: repo, number: number, nextID: 100}
	for _, body := range []string{"LGTM", "please rebase", "ci is green"} {
		g.add(body, "octocat")
	}
	mux := http.NewServeMux()
	base := fmt.Sprintf("/api/v3/repos/%s/%s/issues", owner, repo)
	mux.HandleFunc(fmt.Sprintf("GET %s/%d/comments", base, number), g.handleList)
	mux.HandleFunc(fmt.Sprintf("POST %s/%d/comments", base, number), g.handleCreate)
	mux.HandleFunc("PATCH "+base+"/comments/{id}", g.handleEdit)
	srv := httptest.NewServer(g.auth(mux))
	t.Cleanup(srv.Close)
	g.url = srv.URL
	return g
}

func (g *commentAPI) add(body, login string) apiComment {
	g.nextID++
	c := apiComment{ID: g.nextID, Body: body}
	c.User.Login = login
	g.comments = append(g.comments, c)
	return c
}

// list returns the bodies of the scanner's comments (those a bot wrote).
func (g *commentAPI) list() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []string
	for _, c := range g.comments {
		if c.User.Login == "github-actions[bot]" {
			out = append(out, c.Body)
		}
	}
	return out
}

func (g *commentAPI) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+g.token {
			writeAPIJSON(w, http.StatusUnauthorized, map[string]string{"message": "Bad credentials"})
			return
		}
		g.mu.Lock()
		defer g.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

func (g *commentAPI) handleList(w http.ResponseWriter, r *http.Request) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if page < 1 {
		page = 1
	}
	start := min((page-1)*commentPageSize, len(g.comments))
	end := min(start+commentPageSize, len(g.comments))
	if end < len(g.comments) {
		w.Header().Set("Link", fmt.Sprintf(`<%s%s?page=%d&per_page=%d>; rel="next"`, g.url, r.URL.Path, page+1, commentPageSize))
	}
	writeAPIJSON(w, http.StatusOK, g.comments[start:end])
}

func (g *commentAPI) handleCreate(w http.ResponseWriter, r *http.Request) {
	var in struct{ Body string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Body == "" {
		writeAPIJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Validation Failed"})
		return
	}
	g.posts++
	writeAPIJSON(w, http.StatusCreated, g.add(in.Body, "github-actions[bot]"))
}

func (g *commentAPI) handleEdit(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var in struct{ Body string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Body == "" {
		writeAPIJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Validation Failed"})
		return
	}
	for i := range g.comments {
		if g.comments[i].ID == id {
			g.comments[i].Body = in.Body
			g.patches++
			writeAPIJSON(w, http.StatusOK, g.comments[i])
			return
		}
	}
	writeAPIJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
}

func writeAPIJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
