package validate

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/scanner-dev/scanner/finding"
)

// kustomerChecker checks Kustomer API keys with GET /v1/auth/tokens/current,
// which answers for any valid key whatever its roles.
type kustomerChecker struct {
	base string // KUSTOMER_API_URL; empty: the host comes from the key's claims
	req  *requester
}

// orgNameRe is what an org name must look like before it becomes part of a
// host name: a key is data from the scanned repository and must not choose
// where it is sent.
var orgNameRe = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// kustomerBase picks the API host: KUSTOMER_API_URL when set, else the org's
// own host from the orgName and pod claims (pod prod2 is the EU pod).
func (c *kustomerChecker) kustomerBase(f *finding.Finding) string {
	if c.base != "" {
		return strings.TrimRight(c.base, "/")
	}
	pod := ""
	if f.Details["pod"] == "prod2" {
		pod = "prod2."
	}
	org := strings.ToLower(f.Details["org_name"])
	if orgNameRe.MatchString(org) {
		return "https://" + org + ".api." + pod + "kustomerapp.com"
	}
	return "https://api." + pod + "kustomerapp.com"
}

func (c *kustomerChecker) check(ctx context.Context, f *finding.Finding) finding.Validation {
	tok, ok := f.Part("token")
	if !ok {
		return unknown("no token part")
	}
	url := c.kustomerBase(f) + "/v1/auth/tokens/current"
	a, err := c.req.do(ctx, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+tok.Reveal())
		req.Header.Set("Accept", "application/json")
		return req, nil
	})
	if err != nil {
		return unknown(err.Error())
	}
	now := time.Now().UTC()
	switch a.status {
	case http.StatusOK:
		return finding.Validation{Status: finding.Live, CheckedAt: now, Detail: "key accepted" + kustomerName(a.body)}
	case http.StatusUnauthorized:
		msg := kustomerMessage(a.body)
		detail := "401 " + orDefault(msg, "unauthorized")
		if strings.Contains(strings.ToLower(msg), "expired") {
			detail = "expired: " + msg
		}
		return finding.Validation{Status: finding.Invalid, CheckedAt: now, Detail: detail}
	case http.StatusForbidden:
		return unknown("403: valid format, could not verify (possible IP restriction)")
	}
	return unknown(fmt.Sprintf("unexpected HTTP %d", a.status))
}

// kustomerMessage reads the first error message of Kustomer's error shapes
// ({"errors":[{"message"}]} or JSON:API {"errors":[{"detail"|"title"}]}).
func kustomerMessage(body []byte) string {
	var e struct {
		Errors []struct {
			Message, Detail, Title string
		} `json:"errors"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	for _, x := range e.Errors {
		for _, s := range []string{x.Message, x.Detail, x.Title} {
			if s != "" {
				return s
			}
		}
	}
	return e.Message
}

// kustomerName reads the token record's name and roles, for the report.
func kustomerName(body []byte) string {
	var rec struct {
		Data struct {
			Attributes struct {
				Name  string   `json:"name"`
				Roles []string `json:"roles"`
			} `json:"attributes"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &rec) != nil || rec.Data.Attributes.Name == "" {
		return ""
	}
	return fmt.Sprintf(" (token %q, roles %s)", rec.Data.Attributes.Name, strings.Join(rec.Data.Attributes.Roles, ","))
}
