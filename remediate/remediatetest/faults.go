package remediatetest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fault is an answer the stand-in gives instead of the real one, as GitHub
// does under load: a rate limit, a gateway error.
type Fault struct {
	Method string            // the method it answers ("" any)
	Path   string            // the path it answers, without /api/v3 ("" any)
	Status int               // the status it answers with
	Header map[string]string // e.g. Retry-After, X-RateLimit-Remaining and X-RateLimit-Reset
	Body   string            // the JSON body (default: a message for the status)
	Times  int               // how many requests it answers (default 1)
	// After carries the request out before answering with the fault: a
	// gateway that timed out after GitHub acted (the issue exists).
	After bool
}

// SecondaryRateLimit is GitHub's answer to too many requests too fast:
// status (403 or 429) with Retry-After seconds and its message.
func SecondaryRateLimit(method, path string, status, retryAfter int) Fault {
	return Fault{Method: method, Path: path, Status: status,
		Header: map[string]string{"Retry-After": strconv.Itoa(retryAfter)},
		Body:   `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`}
}

// PrimaryRateLimit is GitHub's answer once the hourly quota is spent: 403,
// x-ratelimit-remaining 0 until reset.
func PrimaryRateLimit(method, path string, reset time.Time) Fault {
	return Fault{Method: method, Path: path, Status: http.StatusForbidden,
		Header: map[string]string{"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "0",
			"X-RateLimit-Reset": strconv.FormatInt(reset.Unix(), 10)},
		Body: `{"message":"API rate limit exceeded for installation."}`}
}

// Inject queues faults: each request answered by the first queued fault
// that matches it, until its Times are used.
func (g *GitHub) Inject(fs ...Fault) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, f := range fs {
		if f.Times <= 0 {
			f.Times = 1
		}
		g.faults = append(g.faults, &f)
	}
}

// Pending returns how many injected fault answers are not given yet.
func (g *GitHub) Pending() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for _, f := range g.faults {
		n += f.Times
	}
	return n
}

// SetLatency delays every answer by d (outside the stand-in's lock), so
// that runs started together overlap.
func (g *GitHub) SetLatency(d time.Duration) { g.latency.Store(int64(d)) }

// fault takes the fault that answers method and path, or nil; g.mu is held.
func (g *GitHub) fault(method, path string) *Fault {
	for _, f := range g.faults {
		if f.Times > 0 && (f.Method == "" || f.Method == method) && (f.Path == "" || f.Path == path) {
			f.Times--
			return f
		}
	}
	return nil
}

func (f *Fault) write(w http.ResponseWriter) {
	for k, v := range f.Header {
		w.Header().Set(k, v)
	}
	body := f.Body
	if body == "" {
		body = fmt.Sprintf(`{"message":%q}`, strings.ToLower(http.StatusText(f.Status)))
	}
	w.WriteHeader(f.Status)
	fmt.Fprint(w, body)
}
