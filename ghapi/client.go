package ghapi

import (
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

// DefaultTimeout bounds one attempt of one request (retries and their waits
// are bounded by Retry).
const DefaultTimeout = time.Minute

// Options configure a client. The zero value reaches api.github.com without
// a token, with the default timeout and retry policy.
type Options struct {
	// BaseURL is the API root (GITHUB_API_URL). Empty means api.github.com;
	// any other host is a GitHub Enterprise Server, whose path gets /api/v3/
	// when it has none (go-github's WithEnterpriseURLs rule).
	BaseURL string
	// Token authenticates every request when it is not empty (a personal
	// access token, GITHUB_TOKEN or an App installation token).
	Token string
	// Timeout bounds each attempt (default DefaultTimeout).
	Timeout time.Duration
	// Retry is the retry and rate-limit policy (zero value: the defaults).
	Retry Retry
	// Transport sends the requests (default http.DefaultTransport).
	Transport http.RoundTripper
}

// New returns a go-github client built from o: the one constructor of the
// scanner's GitHub clients.
func New(o Options) (*github.Client, error) {
	base, err := APIURL(o.BaseURL)
	if err != nil {
		return nil, err
	}
	c := github.NewClient(NewHTTPClient(o))
	if o.Token != "" {
		c = c.WithAuthToken(o.Token)
	}
	c.BaseURL, c.UploadURL = base, base
	return c, nil
}

// NewHTTPClient returns the http.Client New uses: its Transport retries as
// o.Retry says, each attempt bounded by o.Timeout. It adds no token.
func NewHTTPClient(o Options) *http.Client {
	return &http.Client{Transport: &Transport{Base: o.Transport, Retry: o.Retry, Timeout: o.Timeout}}
}

// APIURL applies the URL policy to GITHUB_API_URL and returns the API root,
// ending in "/": empty or api.github.com is DefaultAPIURL; a URL with no
// path is a GitHub Enterprise Server, whose API is at /api/v3/ (what
// go-github's WithEnterpriseURLs adds); a URL with a path names the API root
// as given (https://HOST/api/v3, a proxy's path). It must be http(s) with a
// host and no user information (a token belongs in GITHUB_TOKEN).
func APIURL(s string) (*url.URL, error) {
	if s == "" {
		s = DefaultAPIURL
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("GITHUB_API_URL %q: want http(s)://HOST[/api/v3]", s)
	}
	if u.User != nil {
		return nil, errors.New("GITHUB_API_URL: credentials belong in GITHUB_TOKEN, not in the URL")
	}
	switch {
	case u.Host == "api.github.com":
		return url.Parse(DefaultAPIURL)
	case u.Path == "":
		u.Path = "/api/v3/"
	case !strings.HasSuffix(u.Path, "/"):
		u.Path += "/"
	}
	return u, nil
}
