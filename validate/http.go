package validate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"golang.org/x/time/rate"
)

// maxBody bounds how much of a provider's answer is read.
const maxBody = 64 << 10

// requester sends a provider's requests: its own base URL, a rate limit, a
// timeout per request, and bounded retries on 429/420/5xx and network errors.
type requester struct {
	client    *http.Client
	limiter   *rate.Limiter
	timeout   time.Duration
	retries   int
	maxWait   time.Duration // longest Retry-After honoured; longer waits give up
	backoff   time.Duration // first pause between retries of a 5xx or network error
	userAgent string
	requests  func() // counts each request sent (quota accounting)
}

// answer is a provider's response: status and the start of the body.
type answer struct {
	status int
	body   []byte
	header http.Header
}

// errGaveUp means the provider never gave a usable answer.
type errGaveUp struct{ why string }

func (e errGaveUp) Error() string { return e.why }

// do sends the request built by build (a fresh one per attempt) and returns
// the first answer that is neither throttled nor a server error, or errGaveUp.
func (r *requester) do(ctx context.Context, build func(context.Context) (*http.Request, error)) (answer, error) {
	why := ""
	for attempt := 0; attempt <= r.retries; attempt++ {
		a, err := r.once(ctx, build)
		wait := r.backoff << attempt
		switch {
		case ctx.Err() != nil:
			return answer{}, errGaveUp{"cancelled: " + ctx.Err().Error()}
		case err != nil:
			why = "request failed: " + err.Error()
		case a.status == http.StatusTooManyRequests || a.status == 420:
			why = fmt.Sprintf("rate limited (%d)", a.status)
			if ra, ok := retryAfter(a.header); ok {
				if ra > r.maxWait {
					return answer{}, errGaveUp{fmt.Sprintf("%s; Retry-After %s is longer than we wait", why, ra)}
				}
				wait = ra
			}
		case a.status >= 500:
			why = fmt.Sprintf("server error %d", a.status)
		default:
			return a, nil
		}
		if attempt == r.retries {
			break
		}
		if err := sleep(ctx, wait); err != nil {
			return answer{}, errGaveUp{"cancelled: " + err.Error()}
		}
	}
	return answer{}, errGaveUp{fmt.Sprintf("%s after %d attempts", why, r.retries+1)}
}

func (r *requester) once(ctx context.Context, build func(context.Context) (*http.Request, error)) (answer, error) {
	if err := r.limiter.Wait(ctx); err != nil {
		return answer{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	req, err := build(ctx)
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("User-Agent", r.userAgent)
	if r.requests != nil {
		r.requests()
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return answer{}, scrub(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return answer{}, scrub(err)
	}
	return answer{status: resp.StatusCode, body: body, header: resp.Header}, nil
}

// scrub drops the URL from a transport error: URLs can carry path segments we
// built from the finding, and the message should name the failure, not them.
func scrub(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// retryAfter reads a Retry-After header in seconds or as an HTTP date.
func retryAfter(h http.Header) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0), true
	}
	return 0, false
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// noRedirects keeps a client from following redirects: a credential goes to
// its provider's host and nowhere a Location header points.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
