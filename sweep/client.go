package sweep

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/scanner-dev/scanner/ghapi"
)

// DefaultAPIURL is the API of github.com.
const DefaultAPIURL = ghapi.DefaultAPIURL

// NewClient returns the go-github client of a sweep, built by ghapi.New: the
// API at apiURL (GITHUB_API_URL, read by ghapi.APIURL: empty is
// api.github.com, a bare host a GitHub Enterprise Server at /api/v3),
// authenticated with token when it is not empty. hc may be nil; its
// Transport sends the requests and its Timeout bounds each attempt. The
// client itself does not retry: the Lister waits out rate limits through
// Retry, which uses ghapi's policy, so that it can report its waits.
func NewClient(apiURL, token string, hc *http.Client) (*github.Client, error) {
	o := ghapi.Options{BaseURL: apiURL, Token: token, Retry: ghapi.Retry{MaxAttempts: 1}}
	if hc != nil {
		o.Transport, o.Timeout = hc.Transport, hc.Timeout
	}
	return ghapi.New(o)
}

// parseAPIURL is the API root of apiURL, as ghapi reads GITHUB_API_URL.
func parseAPIURL(apiURL string) (*url.URL, error) { return ghapi.APIURL(apiURL) }

// Retry bounds how the Lister waits out rate limits and server errors; the
// waiting is ghapi.Retry's.
type Retry struct {
	// Attempts is how many times a call is retried (default 5).
	Attempts int
	// MaxWait bounds the total wait of one call (default 15 minutes); a
	// reset further away fails the call.
	MaxWait time.Duration
	// Sleep waits for d or until ctx is done (default: a timer).
	Sleep func(ctx context.Context, d time.Duration) error
	// OnWait is told of each wait (may be nil): kind is "primary",
	// "secondary", "server" or "network".
	OnWait func(kind string, d time.Duration)
}

// do calls fn (a go-github listing call, which is safe to repeat), waiting
// and calling again as ghapi.Retry decides from GitHub's answer.
func (r Retry) do(ctx context.Context, fn func() (*github.Response, error)) (*github.Response, error) {
	pol := ghapi.Retry{MaxAttempts: r.Attempts + 1, MaxWait: r.MaxWait, Sleep: r.Sleep}
	if r.Attempts <= 0 {
		pol.MaxAttempts = 6
	}
	if r.MaxWait <= 0 {
		pol.MaxWait = 15 * time.Minute
	}
	if r.OnWait != nil {
		pol.OnWait = func(w ghapi.Wait) { r.OnWait(string(w.Kind), w.After) }
	}
	var last *github.Response
	_, err := pol.Do(ctx, true, func() (*http.Response, error) {
		resp, err := fn()
		last = resp
		return httpResponse(resp, err), err
	})
	return last, err
}

// httpResponse is the answer under a go-github response. go-github refuses
// by itself, without a request, while it knows a limit is spent; its
// stand-in answer carries no headers, so they are filled from the error for
// ghapi.Classify to read.
func httpResponse(resp *github.Response, err error) *http.Response {
	if resp == nil || resp.Response == nil {
		return nil
	}
	h := resp.Header
	if h == nil {
		h = http.Header{}
		resp.Header = h
	}
	var primary *github.RateLimitError
	var secondary *github.AbuseRateLimitError
	switch {
	case errors.As(err, &primary) && h.Get("X-RateLimit-Remaining") == "":
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Reset", strconv.FormatInt(primary.Rate.Reset.Unix(), 10))
	case errors.As(err, &secondary) && secondary.RetryAfter != nil && h.Get("Retry-After") == "":
		h.Set("Retry-After", strconv.Itoa(int(secondary.RetryAfter.Seconds()+0.999)))
	}
	return resp.Response
}
