package ghapi

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// flaky answers the first len(faults) requests with faults, then 200.
type flaky struct {
	mu     sync.Mutex
	faults []func(w http.ResponseWriter)
	calls  int
	bodies []string
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	i := f.calls
	f.calls++
	f.bodies = append(f.bodies, string(b))
	f.mu.Unlock()
	if i < len(f.faults) {
		f.faults[i](w)
		return
	}
	fmt.Fprint(w, `{"ok":true}`)
}

func status(code int, headers ...string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(code)
		fmt.Fprint(w, `{"message":"fault"}`)
	}
}

var now = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// run sends one request through a Transport whose sleeps are recorded, not
// slept, and returns the final status, the calls made and the waits.
func run(t *testing.T, method string, ctx context.Context, pol Retry, faults ...func(w http.ResponseWriter)) (int, int, []Wait) {
	t.Helper()
	f := &flaky{faults: faults}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	var waits []Wait
	pol.Sleep = func(context.Context, time.Duration) error { return nil }
	pol.Now = func() time.Time { return now }
	pol.OnWait = func(w Wait) { waits = append(waits, w) }
	c := NewHTTPClient(Options{Retry: pol})
	req, _ := http.NewRequestWithContext(ctx, method, srv.URL+"/repos/o/r/issues", strings.NewReader(`{"title":"t"}`))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 && !strings.Contains(string(body), "fault") {
		t.Errorf("status %d with body %q: the last answer's body was lost", resp.StatusCode, body)
	}
	for i, b := range f.bodies {
		if method == http.MethodPost && b != `{"title":"t"}` {
			t.Errorf("attempt %d sent body %q", i+1, b)
		}
	}
	return resp.StatusCode, f.calls, waits
}

func TestTransportRetries(t *testing.T) {
	bg := context.Background()
	reset := fmt.Sprint(now.Add(30 * time.Second).Unix())
	for _, tc := range []struct {
		name   string
		method string
		ctx    context.Context
		pol    Retry
		faults []func(http.ResponseWriter)
		code   int
		calls  int
		waits  []time.Duration
	}{
		{"secondary 403 Retry-After, POST", "POST", bg, Retry{}, []func(http.ResponseWriter){status(403, "Retry-After", "7")}, 200, 2, []time.Duration{7 * time.Second}},
		{"429 without headers, POST", "POST", bg, Retry{}, []func(http.ResponseWriter){status(429)}, 200, 2, []time.Duration{time.Minute}},
		{"primary limit until reset", "GET", bg, Retry{}, []func(http.ResponseWriter){status(403, "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", reset)}, 200, 2, []time.Duration{31 * time.Second}},
		{"502 then 503 on GET back off", "GET", bg, Retry{}, []func(http.ResponseWriter){status(502), status(503)}, 200, 3, []time.Duration{time.Second, 2 * time.Second}},
		{"504 names its wait", "GET", bg, Retry{}, []func(http.ResponseWriter){status(504, "Retry-After", "3")}, 200, 2, []time.Duration{3 * time.Second}},
		{"502 on POST is not repeated", "POST", bg, Retry{}, []func(http.ResponseWriter){status(502)}, 502, 1, nil},
		{"503 on a PATCH marked idempotent", "PATCH", Idempotent(bg), Retry{}, []func(http.ResponseWriter){status(503)}, 200, 2, []time.Duration{time.Second}},
		{"a plain 403 is an answer", "GET", bg, Retry{}, []func(http.ResponseWriter){status(403)}, 403, 1, nil},
		{"attempts are bounded", "GET", bg, Retry{MaxAttempts: 3}, []func(http.ResponseWriter){status(502), status(502), status(502), status(502)}, 502, 3, []time.Duration{time.Second, 2 * time.Second}},
		{"total wait is bounded", "GET", bg, Retry{MaxWait: 10 * time.Second}, []func(http.ResponseWriter){status(429, "Retry-After", "6"), status(429, "Retry-After", "6")}, 429, 2, []time.Duration{6 * time.Second}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, calls, waits := run(t, tc.method, tc.ctx, tc.pol, tc.faults...)
			var got []time.Duration
			for _, w := range waits {
				got = append(got, w.After)
			}
			if code != tc.code || calls != tc.calls || fmt.Sprint(got) != fmt.Sprint(tc.waits) {
				t.Errorf("status %d, %d calls, waits %v; want %d, %d, %v", code, calls, got, tc.code, tc.calls, tc.waits)
			}
		})
	}
}

func TestSecondaryLimitReadFromTheBody(t *testing.T) {
	msg := func(w http.ResponseWriter) {
		w.WriteHeader(403)
		fmt.Fprint(w, `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes."}`)
	}
	code, calls, waits := run(t, "POST", context.Background(), Retry{}, msg)
	if code != 200 || calls != 2 || len(waits) != 1 || waits[0].Kind != Secondary || waits[0].After != time.Minute {
		t.Fatalf("status %d, %d calls, waits %+v", code, calls, waits)
	}
}

func TestRetryAfter(t *testing.T) {
	for v, want := range map[string]time.Duration{
		"120": 2 * time.Minute,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
		now.Add(-time.Hour).Format(http.TimeFormat):       0,
	} {
		h := http.Header{"Retry-After": {v}}
		if got, ok := RetryAfter(h, now); !ok || got != want {
			t.Errorf("Retry-After %q: %v %v, want %v", v, got, ok, want)
		}
	}
	if _, ok := RetryAfter(http.Header{"Retry-After": {"soon"}}, now); ok {
		t.Error("Retry-After \"soon\" read as a time")
	}
}

func TestAttemptTimeout(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			<-r.Context().Done() // hangs until the client gives up
			return
		}
		fmt.Fprint(w, `[]`)
	}))
	defer srv.Close()
	c := NewHTTPClient(Options{Timeout: 50 * time.Millisecond, Retry: Retry{Sleep: func(context.Context, time.Duration) error { return nil }}})
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	mu.Lock()
	defer mu.Unlock()
	if resp.StatusCode != 200 || calls != 2 {
		t.Fatalf("status %d after %d calls, want 200 after a timed-out first attempt", resp.StatusCode, calls)
	}
}

func TestCancelledContextStopsWaiting(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(429)
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	c := NewHTTPClient(Options{Retry: Retry{OnWait: func(Wait) { cancel() }}})
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	if _, err := c.Do(req); err == nil {
		t.Fatal("a cancelled wait returned no error")
	}
}
