package sweep

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
)

// DefaultAPIURL is the API of github.com.
const DefaultAPIURL = "https://api.github.com/"

// NewClient returns a go-github client for the API at apiURL (DefaultAPIURL
// when empty; a GitHub Enterprise Server API is "https://HOST/api/v3/"),
// authenticated with token when it is not empty (a personal access token or
// a GitHub App installation token). hc may be nil.
func NewClient(apiURL, token string, hc *http.Client) (*github.Client, error) {
	base, err := parseAPIURL(apiURL)
	if err != nil {
		return nil, err
	}
	c := github.NewClient(hc)
	if token != "" {
		c = c.WithAuthToken(token)
	}
	c.BaseURL = base
	return c, nil
}

func parseAPIURL(apiURL string) (*url.URL, error) {
	if apiURL == "" {
		apiURL = DefaultAPIURL
	}
	u, err := url.Parse(apiURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("GitHub API URL %q: want http(s)://HOST/[PATH]", apiURL)
	}
	if u.User != nil {
		return nil, errors.New("GitHub API URL: credentials belong in GITHUB_TOKEN, not in the URL")
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u, nil
}

// Retry bounds how the client waits out rate limits.
type Retry struct {
	// Attempts is how many times a call is retried after a rate limit
	// (default 5).
	Attempts int
	// MaxWait is the longest single wait (default 15 minutes); a reset
	// further away fails the call.
	MaxWait time.Duration
	// Sleep waits for d or until ctx is done (default: a timer).
	Sleep func(ctx context.Context, d time.Duration) error
	// OnWait is told of each wait (may be nil).
	OnWait func(kind string, d time.Duration)
}

// do calls fn, waiting and calling again when GitHub answers with its
// primary rate limit (X-RateLimit-Remaining 0 until X-RateLimit-Reset) or a
// secondary one (Retry-After).
func (r Retry) do(ctx context.Context, fn func() (*github.Response, error)) (*github.Response, error) {
	attempts, maxWait, sleep := r.Attempts, r.MaxWait, r.Sleep
	if attempts <= 0 {
		attempts = 5
	}
	if maxWait <= 0 {
		maxWait = 15 * time.Minute
	}
	if sleep == nil {
		sleep = sleepCtx
	}
	for i := 0; ; i++ {
		resp, err := fn()
		kind, wait, limited := rateLimitWait(err, time.Now())
		if !limited || i >= attempts {
			return resp, err
		}
		if wait > maxWait {
			return resp, fmt.Errorf("%s rate limit resets in %s, past the %s the sweep waits: %w", kind, wait.Round(time.Second), maxWait, err)
		}
		if r.OnWait != nil {
			r.OnWait(kind, wait)
		}
		if err := sleep(ctx, wait); err != nil {
			return resp, err
		}
	}
}

// rateLimitWait says how long to wait after err, if err is a rate limit.
func rateLimitWait(err error, now time.Time) (kind string, wait time.Duration, ok bool) {
	var primary *github.RateLimitError
	var secondary *github.AbuseRateLimitError
	switch {
	case errors.As(err, &primary):
		wait = primary.Rate.Reset.Time.Sub(now) + time.Second
		return "primary", max(wait, time.Second), true
	case errors.As(err, &secondary):
		wait = time.Minute // GitHub's advice when no Retry-After is given
		if secondary.RetryAfter != nil {
			wait = *secondary.RetryAfter
		}
		return "secondary", max(wait, time.Second), true
	}
	return "", 0, false
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
