package rules

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"text/template"
)

// Check is a declarative live check a rule may carry: an HTTP request built
// from the finding's parts, and the statuses that mean live or invalid.
//
//	[rules.check]
//	method  = "GET"
//	url     = "https://api.example.com/v1/me"
//	headers = { Authorization = "Bearer {{.token}}" }
//	live    = [200]
//	invalid = [401]
//
// Templates see each part by name and a b64 function ({{b64 .user ":"
// .password}}). The scheme and host must be written literally, so that the
// credential can only go to the host the rule names.
type Check struct {
	Method  string            `toml:"method"`
	URL     string            `toml:"url"`
	Headers map[string]string `toml:"headers"`
	Live    []int             `toml:"live"`
	Invalid []int             `toml:"invalid"`

	url     *template.Template
	headers map[string]*template.Template
	host    string
}

var checkFuncs = template.FuncMap{
	"b64": func(s ...string) string { return base64.StdEncoding.EncodeToString([]byte(strings.Join(s, ""))) },
}

func (c *Check) compile() error {
	if c.Method == "" {
		c.Method = "GET"
	}
	switch c.Method {
	case "GET", "HEAD", "POST":
	default:
		return fmt.Errorf("check: method %q (want GET, HEAD or POST)", c.Method)
	}
	host, err := literalHost(c.URL)
	if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	c.host = host
	if len(c.Live) == 0 {
		return fmt.Errorf("check: needs the live statuses")
	}
	if c.url, err = template.New("url").Funcs(checkFuncs).Option("missingkey=error").Parse(c.URL); err != nil {
		return fmt.Errorf("check: url: %w", err)
	}
	c.headers = map[string]*template.Template{}
	for k, v := range c.Headers {
		t, err := template.New(k).Funcs(checkFuncs).Option("missingkey=error").Parse(v)
		if err != nil {
			return fmt.Errorf("check: header %s: %w", k, err)
		}
		c.headers[k] = t
	}
	return nil
}

// literalHost returns the host of a URL template whose scheme and host come
// before any template action.
func literalHost(tmpl string) (string, error) {
	prefix, _, templated := strings.Cut(tmpl, "{{")
	u, err := url.Parse(prefix)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", fmt.Errorf("url %q: scheme and host must be written out before any {{...}}", tmpl)
	}
	rest := strings.TrimPrefix(prefix, u.Scheme+"://"+u.Host)
	if rest == prefix || templated && (rest == "" || rest[0] != '/' && rest[0] != '?') {
		return "", fmt.Errorf("url %q: the host must be followed by / or ? before any {{...}}", tmpl)
	}
	return u.Host, nil
}

// Host is the host the check sends credentials to.
func (c *Check) Host() string { return c.host }

// Request renders the check for a finding's parts (name to raw value): the
// URL and headers. The URL's host is always Host().
func (c *Check) Request(parts map[string]string) (string, map[string]string, error) {
	var b bytes.Buffer
	if err := c.url.Execute(&b, parts); err != nil {
		return "", nil, fmt.Errorf("check url: %w", err)
	}
	u, err := url.Parse(b.String())
	if err != nil || u.Host != c.host {
		return "", nil, fmt.Errorf("check url: does not stay on host %s", c.host)
	}
	hs := map[string]string{}
	for k, t := range c.headers {
		b.Reset()
		if err := t.Execute(&b, parts); err != nil {
			return "", nil, fmt.Errorf("check header %s: %w", k, err)
		}
		hs[k] = b.String()
	}
	return u.String(), hs, nil
}
