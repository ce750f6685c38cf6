package ghapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"
)

// Retry is the retry and rate-limit policy. The zero value is the default:
// 5 attempts, at most 2 minutes of waiting per request, backoff from 1s.
type Retry struct {
	// MaxAttempts is how many times a request is sent at most (default 5;
	// 1 turns retries off).
	MaxAttempts int
	// MaxWait bounds the total time spent waiting for one request (default
	// 2 minutes): a Retry-After or a reset further away ends the retries
	// and GitHub's answer is returned.
	MaxWait time.Duration
	// Backoff is the first wait after a server error or a broken connection
	// when GitHub names no time (default 1s); it doubles each retry.
	Backoff time.Duration
	// Sleep waits for d or until ctx is done (default: a timer). Tests
	// inject one that returns at once.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock that reads rate-limit resets (default time.Now).
	Now func() time.Time
	// OnWait is told of each wait before it starts (may be nil).
	OnWait func(Wait)
}

// Wait describes one wait before calling again.
type Wait struct {
	Kind    Kind
	Status  int           // GitHub's status, 0 when there was no answer
	After   time.Duration // how long
	Attempt int           // the attempt that just failed, from 1
}

func (r Retry) attempts() int {
	if r.MaxAttempts <= 0 {
		return 5
	}
	return r.MaxAttempts
}

func (r Retry) maxWait() time.Duration {
	if r.MaxWait <= 0 {
		return 2 * time.Minute
	}
	return r.MaxWait
}

func (r Retry) now() time.Time {
	if r.Now == nil {
		return time.Now()
	}
	return r.Now()
}

func (r Retry) sleep(ctx context.Context, d time.Duration) error {
	if r.Sleep != nil {
		return r.Sleep(ctx, d)
	}
	return Sleep(ctx, d)
}

// Sleep waits for d, or until ctx is done (its error).
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Do sends a request by calling call, and calls again while GitHub asks to
// wait (see Classify) within the policy's bounds. idempotent says whether
// repeating the request is safe when GitHub may have acted on it (a server
// error, no answer); rate limits are repeated either way. The last answer
// (or error) is returned as it came; the bodies of the answers waited out
// are drained and closed.
func (r Retry) Do(ctx context.Context, idempotent bool, call func() (*http.Response, error)) (*http.Response, error) {
	var waited time.Duration
	backoff := r.Backoff
	if backoff <= 0 {
		backoff = time.Second
	}
	for attempt := 1; ; attempt++ {
		resp, err := call()
		w, ok := r.next(ctx, resp, err, idempotent)
		if !ok || attempt >= r.attempts() {
			return resp, err
		}
		if w.After == 0 {
			w.After, backoff = backoff, backoff*2
		}
		if waited+w.After > r.maxWait() {
			return resp, err
		}
		drain(resp)
		w.Attempt = attempt
		if r.OnWait != nil {
			r.OnWait(w)
		}
		if serr := r.sleep(ctx, w.After); serr != nil {
			return nil, serr
		}
		waited += w.After
	}
}

// next decides whether an answer (or its absence) is worth another call.
func (r Retry) next(ctx context.Context, resp *http.Response, err error, idempotent bool) (Wait, bool) {
	if resp == nil {
		if err == nil || !idempotent || ctx.Err() != nil || errors.Is(err, context.Canceled) {
			return Wait{}, false
		}
		return Wait{Kind: Network}, true
	}
	l, ok := Classify(resp, r.now())
	if !ok || (!idempotent && !l.Unprocessed) {
		return Wait{}, false
	}
	return Wait{Kind: l.Kind, Status: resp.StatusCode, After: l.After}, true
}

func drain(resp *http.Response) {
	if resp != nil && resp.Body != nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
	}
}
