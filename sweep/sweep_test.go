package sweep

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestShardsSplitEveryNameExactlyOnce(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7} {
		for i := 0; i < 200; i++ {
			name := fmt.Sprintf("Acme/Repo-%d", i)
			hits := 0
			for k := 1; k <= n; k++ {
				if (Shard{K: k, N: n}).Has(name) {
					hits++
				}
			}
			if hits != 1 {
				t.Fatalf("%s is in %d of %d shards", name, hits, n)
			}
			if (Shard{K: 1, N: n}).Has(name) != (Shard{K: 1, N: n}).Has(strings.ToLower(name)) {
				t.Fatalf("%s: the split depends on case", name)
			}
		}
	}
	for _, bad := range []string{"0/3", "4/3", "1/0", "a/b", "3", "-1/2"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
	if s, err := ParseShard("2/5"); err != nil || s != (Shard{K: 2, N: 5}) {
		t.Errorf("ParseShard(2/5) = %v, %v", s, err)
	}
}

func TestTokenGoesOnlyToTheAPIHost(t *testing.T) {
	cases := []struct {
		api, clone string
		want       bool
	}{
		{"", "https://github.com/acme/a.git", true},
		{"https://api.github.com/", "https://github.com/acme/a.git", true},
		{"https://ghe.example.com/api/v3/", "https://ghe.example.com/acme/a.git", true},
		{"https://ghe.example.com/api/v3/", "https://github.com/acme/a.git", false},
		{"", "https://evil.example/acme/a.git", false},
		{"", "/srv/git/a", false},
		{"", "ssh://git@github.com/acme/a.git", false},
	}
	for _, c := range cases {
		if got := tokenHost(c.api, c.clone); got != c.want {
			t.Errorf("tokenHost(%q, %q) = %v", c.api, c.clone, got)
		}
	}
}

// TestCloneSendsTheTokenAsAHeaderOnly runs a real git clone against a
// loopback server that plays the API's host and refuses the clone.
func TestCloneSendsTheTokenAsAHeaderOnly(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	token := fmt.Sprintf("ghs_%d", time.Now().UnixNano())
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization")+" "+r.URL.String())
		mu.Unlock()
		http.Error(w, "no", http.StatusNotFound)
	}))
	defer srv.Close()
	c := &Cache{Dir: t.TempDir(), Token: token, APIURL: srv.URL + "/"}
	_, _, err := c.Sync(context.Background(), Repo{FullName: "acme/a", CloneURL: srv.URL + "/acme/a.git"})
	if err == nil {
		t.Fatal("clone of a refused repository succeeded")
	}
	if strings.Contains(err.Error(), token) {
		t.Fatalf("error carries the token: %v", err)
	}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("x-access-token:"+token))
	mu.Lock()
	defer mu.Unlock()
	if len(seen) == 0 || !strings.HasPrefix(seen[0], want+" ") || strings.Contains(seen[0], token) {
		t.Fatalf("requests %q, want the token as a Basic header and nowhere else", seen)
	}
	// another host gets nothing
	other := &Cache{Dir: t.TempDir(), Token: token, APIURL: "https://ghe.example.com/api/v3/"}
	seen = nil
	mu.Unlock()
	_, _, _ = other.Sync(context.Background(), Repo{FullName: "acme/a", CloneURL: srv.URL + "/acme/a.git"})
	mu.Lock()
	for _, s := range seen {
		if strings.HasPrefix(s, "Basic") {
			t.Fatalf("token sent to a host that is not the API's: %q", s)
		}
	}
}

// rateLimited answers the first calls with GitHub's primary or secondary
// rate limit response (retry in about a second), then lists one repository.
func rateLimited(t *testing.T, kind string, times int) (*httptest.Server, *atomic.Int64) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= int64(times) {
			switch kind {
			case "primary":
				w.Header().Set("X-RateLimit-Limit", "5000")
				w.Header().Set("X-RateLimit-Remaining", "0")
				w.Header().Set("X-RateLimit-Reset", fmt.Sprint(time.Now().Add(time.Second).Unix()))
				w.WriteHeader(http.StatusForbidden)
				fmt.Fprint(w, `{"message":"API rate limit exceeded for installation"}`)
			default:
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(http.StatusForbidden)
				fmt.Fprint(w, `{"message":"You have exceeded a secondary rate limit","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`)
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode([]map[string]any{{"full_name": "acme/a", "clone_url": "https://example.invalid/acme/a.git"}})
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestListingWaitsOutRateLimits(t *testing.T) {
	for _, kind := range []string{"primary", "secondary"} {
		t.Run(kind, func(t *testing.T) {
			srv, calls := rateLimited(t, kind, 2)
			client, err := NewClient(srv.URL, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			// go-github refuses locally until the limit has passed, so the
			// waits are real (the stand-in asks for about a second)
			var waits []time.Duration
			l := &Lister{Client: client, Retry: Retry{OnWait: func(_ string, d time.Duration) {
				waits = append(waits, d)
			}}}
			repos, err := l.List(context.Background(), Selection{Orgs: []string{"acme"}})
			if err != nil {
				t.Fatal(err)
			}
			if len(repos) != 1 || calls.Load() != 3 || len(waits) != 2 {
				t.Fatalf("repos %v, calls %d, waits %v", repos, calls.Load(), waits)
			}
			if kind == "secondary" && waits[0] != time.Second {
				t.Fatalf("waited %v, want Retry-After's 1s", waits[0])
			}
			if kind == "primary" && (waits[0] < time.Second || waits[0] > 3*time.Second) {
				t.Fatalf("waited %v, want until X-RateLimit-Reset", waits[0])
			}
		})
	}
	t.Run("bounded", func(t *testing.T) {
		srv, _ := rateLimited(t, "secondary", 100)
		client, _ := NewClient(srv.URL, "", nil)
		l := &Lister{Client: client, Retry: Retry{Attempts: 1}}
		if _, err := l.List(context.Background(), Selection{Orgs: []string{"acme"}}); err == nil {
			t.Fatal("endless rate limit: listing succeeded")
		}
	})
}

func TestStateRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	s, err := LoadState(path)
	if err != nil || len(s.Scanned("acme/a")) != 0 {
		t.Fatalf("missing state: %v, %v", s, err)
	}
	s.Record("Acme/A", map[string]string{"refs/heads/main": strings.Repeat("a", 40), "refs/heads/x": strings.Repeat("a", 40)}, time.Now())
	if err := s.Save(path); err != nil {
		t.Fatal(err)
	}
	s2, err := LoadState(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := s2.Scanned("acme/a"); len(got) != 1 || got[0] != strings.Repeat("a", 40) {
		t.Fatalf("scanned %v", got)
	}
}
