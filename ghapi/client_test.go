package ghapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestAPIURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                            DefaultAPIURL,
		"https://api.github.com":      DefaultAPIURL,
		"https://ghe.example/api/v3":  "https://ghe.example/api/v3/",
		"http://127.0.0.1:8080":       "http://127.0.0.1:8080/api/v3/",
		"http://127.0.0.1:8080/":      "http://127.0.0.1:8080/",
		"https://proxy.example/gh":    "https://proxy.example/gh/",
		"https://ghe.example/api/v3/": "https://ghe.example/api/v3/",
	} {
		u, err := APIURL(in)
		if err != nil || u.String() != want {
			t.Errorf("APIURL(%q) = %v, %v; want %s", in, u, err, want)
		}
	}
	for _, bad := range []string{"ftp://x", "not a url", "https://user:pw@ghe.example/api/v3"} {
		if _, err := APIURL(bad); err == nil {
			t.Errorf("APIURL(%q) accepted", bad)
		}
	}
}

func TestNewBaseURLs(t *testing.T) {
	for in, want := range map[string]string{
		"":                            "https://api.github.com/",
		"https://api.github.com/":     "https://api.github.com/",
		"https://ghe.example":         "https://ghe.example/api/v3/",
		"https://ghe.example/api/v3":  "https://ghe.example/api/v3/",
		"https://ghe.example/api/v3/": "https://ghe.example/api/v3/",
	} {
		c, err := New(Options{BaseURL: in})
		if err != nil || c.BaseURL.String() != want {
			t.Errorf("New(%q): base %v, %v; want %s", in, c.BaseURL, err, want)
		}
	}
}

func TestNewSendsTheTokenAndRetries(t *testing.T) {
	var auth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth = append(auth, r.Header.Get("Authorization"))
		if !strings.HasPrefix(r.URL.Path, "/api/v3/") {
			http.NotFound(w, r)
			return
		}
		if len(auth) == 1 {
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"login":"octo"}`))
	}))
	defer srv.Close()
	c, err := New(Options{BaseURL: srv.URL, Token: "tok", Retry: Retry{Sleep: func(context.Context, time.Duration) error { return nil }}})
	if err != nil {
		t.Fatal(err)
	}
	u, _, err := c.Users.Get(context.Background(), "")
	if err != nil || u.GetLogin() != "octo" {
		t.Fatalf("user %v, %v", u, err)
	}
	if len(auth) != 2 || auth[0] != "Bearer tok" || auth[1] != "Bearer tok" {
		t.Fatalf("authorization headers %q", auth)
	}
}
