package ghapi

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Kind says why a request is to be repeated.
type Kind string

// The reasons to wait and call again.
const (
	Secondary Kind = "secondary" // a secondary rate limit (403 or 429)
	Primary   Kind = "primary"   // the primary rate limit is spent until its reset
	Server    Kind = "server"    // 502, 503 or 504
	Network   Kind = "network"   // no answer at all (a broken connection, a timeout)
)

// secondaryDefault is GitHub's advice when a secondary rate limit names no
// time: wait at least a minute.
const secondaryDefault = time.Minute

// Limit is GitHub's request to wait: why, for how long (0: GitHub named no
// time, back off), and whether the answer proves that the request was
// refused before GitHub acted on it (so that even a POST may be repeated).
type Limit struct {
	Kind        Kind
	After       time.Duration
	Unprocessed bool
}

// Classify reads an answer: whether it asks the caller to wait and call
// again, and for how long. It is the one reader of Retry-After and of the
// x-ratelimit headers. A 403 without rate-limit headers is a secondary rate
// limit only when its body says so; the body stays readable.
func Classify(resp *http.Response, now time.Time) (Limit, bool) {
	if resp == nil {
		return Limit{}, false
	}
	switch resp.StatusCode {
	case http.StatusForbidden, http.StatusTooManyRequests:
		return rateLimit(resp, now)
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		d, _ := RetryAfter(resp.Header, now)
		return Limit{Kind: Server, After: d}, true
	}
	return Limit{}, false
}

func rateLimit(resp *http.Response, now time.Time) (Limit, bool) {
	if d, ok := RetryAfter(resp.Header, now); ok {
		return Limit{Kind: Secondary, After: d, Unprocessed: true}, true
	}
	if resp.Header.Get("X-RateLimit-Remaining") == "0" {
		if reset, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			// one second past the reset: the header is truncated to seconds
			d := max(time.Unix(reset, 0).Sub(now)+time.Second, time.Second)
			return Limit{Kind: Primary, After: d, Unprocessed: true}, true
		}
	}
	if resp.StatusCode == http.StatusTooManyRequests || saysSecondary(resp) {
		return Limit{Kind: Secondary, After: secondaryDefault, Unprocessed: true}, true
	}
	return Limit{}, false
}

// saysSecondary peeks at a 403's body for GitHub's secondary-rate-limit
// message and puts the body back.
func saysSecondary(resp *http.Response) bool {
	if resp.Body == nil {
		return false
	}
	head, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	return strings.Contains(strings.ToLower(string(head)), "secondary rate limit")
}

// RetryAfter reads a Retry-After header: delay seconds or an HTTP date. A
// date in the past is a zero wait.
func RetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
