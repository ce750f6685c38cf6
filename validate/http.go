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
// timeout per request, bounded retries on 429/420/5xx and network errors, and
// a gate that stops everything once the run's budget or the provider's quota
// is spent.
type requester struct {
	client    *http.Client
	limiter   *rate.Limiter
	timeout   time.Duration
	retries   int
	maxWait   time.Duration // longest wait honoured; a longer one means the quota is spent
	backoff   time.Duration // first pause between retries of a 5xx or network error
	userAgent string
	gate      *gate
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

// do sends a credential's check (a fresh request per attempt from build) and
// returns the first answer that is neither throttled nor a server error, or
// errGaveUp, or errStopped when the budget or quota is spent.
func (r *requester) do(ctx context.Context, build func(context.Context) (*http.Request, error)) (answer, error) {
	return r.run(ctx, build, true)
}

// extra is do for requests beyond the check itself (reach pages): a refusal
// leaves no credential unchecked, so it is not counted as skipped.
func (r *requester) extra(ctx context.Context, build func(context.Context) (*http.Request, error)) (answer, error) {
	return r.run(ctx, build, false)
}

func (r *requester) run(ctx context.Context, build func(context.Context) (*http.Request, error), skip bool) (answer, error) {
	why, throttled, last := "", false, http.Header(nil)
	for attempt := 0; attempt <= r.retries; attempt++ {
		a, err := r.once(ctx, build, skip)
		last = a.header
		wait := r.backoff << attempt
		var stop errStopped
		throttled = err == nil && (a.status == http.StatusTooManyRequests || a.status == 420)
		switch {
		case errors.As(err, &stop):
			return answer{}, err
		case ctx.Err() != nil:
			return answer{}, errGaveUp{"cancelled: " + ctx.Err().Error()}
		case err != nil:
			why = "request failed: " + err.Error()
		case throttled:
			why = fmt.Sprintf("rate limited (HTTP %d)", a.status)
			w, spentBy := r.throttle(a, why)
			if spentBy != "" {
				return answer{}, r.stop(spentBy, a.header, skip)
			}
			wait = max(w, wait)
		case a.status >= 500:
			why = fmt.Sprintf("server error %d", a.status)
		default:
			r.watch(a.header)
			return a, nil
		}
		if attempt == r.retries {
			break
		}
		if err := sleep(ctx, wait); err != nil {
			return answer{}, errGaveUp{"cancelled: " + err.Error()}
		}
	}
	if throttled {
		// the provider kept refusing: asking on would only spend more
		return answer{}, r.stop(fmt.Sprintf("%s on %d attempts in a row", why, r.retries+1), last, skip)
	}
	return answer{}, errGaveUp{fmt.Sprintf("%s after %d attempts", why, r.retries+1)}
}

// throttle reads a 429/420: how long to wait before retrying, or, when the
// answer names a quota or asks for a longer wait than we give, what says the
// quota is spent.
func (r *requester) throttle(a answer, why string) (time.Duration, string) {
	if saysQuota(a.body) {
		return 0, why + " naming a quota"
	}
	resets, ok := quotaReset(a.header)
	if !ok {
		return 0, ""
	}
	if d := time.Until(resets); d > r.maxWait {
		return 0, fmt.Sprintf("%s, reset in %s is longer than we wait", why, d.Round(time.Second))
	}
	return max(time.Until(resets), 0), ""
}

// stop marks the quota spent and returns the gate's refusal for this check.
func (r *requester) stop(by string, h http.Header, skip bool) error {
	resets, _ := quotaReset(h)
	r.gate.spend(by, resets)
	return r.gate.refuse(skip)
}

// watch reads the rate-limit headers of a usable answer: a window with
// nothing left holds further requests until it resets, or ends them for the
// run when that is further off than we wait.
func (r *requester) watch(h http.Header) {
	if !nothingLeft(h) {
		return
	}
	resets, ok := quotaReset(h)
	switch {
	case !ok:
	case time.Until(resets) <= r.maxWait:
		r.gate.holdUntil(resets)
	default:
		r.gate.spend("no requests remaining in the provider's rate-limit window", resets)
	}
}

func (r *requester) once(ctx context.Context, build func(context.Context) (*http.Request, error), skip bool) (answer, error) {
	if err := r.gate.refuse(skip); err != nil {
		return answer{}, err // before the rate limiter: refusals cost no wait
	}
	if err := r.limiter.Wait(ctx); err != nil {
		return answer{}, err
	}
	if err := r.gate.acquire(ctx, skip); err != nil {
		return answer{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	req, err := build(ctx)
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("User-Agent", r.userAgent)
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
