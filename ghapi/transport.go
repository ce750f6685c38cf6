package ghapi

import (
	"context"
	"io"
	"net/http"
	"time"
)

// Transport is an http.RoundTripper that sends each request through Base,
// bounding each attempt by Timeout and repeating it as Retry says.
// GET, HEAD, OPTIONS, PUT and DELETE are idempotent; so is any request whose
// context went through Idempotent.
type Transport struct {
	Base    http.RoundTripper // default http.DefaultTransport
	Retry   Retry
	Timeout time.Duration // per attempt; default DefaultTimeout
}

type idempotentKey struct{}

// Idempotent marks the requests made with the returned context as safe to
// repeat after a server error (an edit that sets fields to given values).
func Idempotent(ctx context.Context) context.Context {
	return context.WithValue(ctx, idempotentKey{}, true)
}

func idempotent(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return req.Context().Value(idempotentKey{}) != nil
}

// RoundTrip sends req, retrying as the policy says.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	safe := idempotent(req)
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	r := t.Retry
	if !replayable {
		r.MaxAttempts = 1
	}
	first := true
	return r.Do(req.Context(), safe, func() (*http.Response, error) {
		out := req
		if !first && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			out = req.Clone(req.Context())
			out.Body = body
		}
		first = false
		return t.once(out)
	})
}

// once sends one attempt under the timeout; the timeout's context lives
// until the answer's body is closed.
func (t *Transport) once(req *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	d := t.Timeout
	if d <= 0 {
		d = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(req.Context(), d)
	resp, err := base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}
