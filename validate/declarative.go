package validate

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
)

// declarativeChecker runs the HTTP check a rule carries in its TOML.
type declarativeChecker struct {
	rule    *rules.Rule
	req     *requester
	allowed bool // the rule is trusted, or its host is one the user allows
}

func (c *declarativeChecker) check(ctx context.Context, f *finding.Finding) finding.Validation {
	chk := c.rule.Check
	if !c.allowed {
		return unknown(fmt.Sprintf("check not run: rule %s comes from the scanned repository and host %s is not allowed (--validate-allow-host)", c.rule.ID, chk.Host()))
	}
	parts := map[string]string{}
	for _, p := range f.Parts {
		parts[p.Name] = p.Value.Reveal()
	}
	url, headers, err := chk.Request(parts)
	if err != nil {
		return unknown("check not run: " + err.Error())
	}
	a, err := c.req.do(ctx, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, chk.Method, url, nil)
		if err != nil {
			return nil, err
		}
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		return req, nil
	})
	if err != nil {
		return unknown(err.Error())
	}
	now := time.Now().UTC()
	switch {
	case slices.Contains(chk.Live, a.status):
		return finding.Validation{Status: finding.Live, CheckedAt: now, Detail: fmt.Sprintf("HTTP %d from %s", a.status, chk.Host())}
	case slices.Contains(chk.Invalid, a.status):
		return finding.Validation{Status: finding.Invalid, CheckedAt: now, Detail: fmt.Sprintf("HTTP %d from %s", a.status, chk.Host())}
	}
	return unknown(fmt.Sprintf("HTTP %d from %s means neither live nor invalid for this rule", a.status, chk.Host()))
}

// hostAllowed reports whether host is among the user's allowed hosts.
func hostAllowed(host string, allowed []string) bool {
	for _, a := range allowed {
		if strings.EqualFold(strings.TrimSpace(a), host) {
			return true
		}
	}
	return false
}
