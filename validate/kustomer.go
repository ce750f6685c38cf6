package validate

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/scanner-dev/scanner/finding"
)

// kustomerChecker checks Kustomer API keys with GET /v1/auth/tokens/current,
// which answers for any valid key whatever its roles.
type kustomerChecker struct {
	base  string // KUSTOMER_API_URL; empty: the host comes from the key's claims
	req   *requester
	reach bool // fill a live key's Reach from its claims
}

// orgNameRe is what an org name must look like before it becomes part of a
// host name: a key is data from the scanned repository and must not choose
// where it is sent.
var orgNameRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
})

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
	if orgNameRe().MatchString(org) {
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
	return c.judge(a, f, tok.Reveal())
}

// judge reads Kustomer's answer. Live needs the token document
// ({"data":{"attributes":{...}}}, whose lastTokenChars, when given, end the
// key); invalid needs a 401 carrying Kustomer's error document. A proxy's
// page, whatever its status, is Unknown.
func (c *kustomerChecker) judge(a answer, f *finding.Finding, tok string) finding.Validation {
	if why := notJSON(a, "Kustomer"); why != "" {
		return unknown(why)
	}
	now := time.Now().UTC()
	switch a.status {
	case http.StatusOK:
		name, why := kustomerToken(a.body, tok)
		if why != "" {
			return unknown(why)
		}
		v := finding.Validation{Status: finding.Live, CheckedAt: now, Detail: "key accepted" + name}
		if c.reach {
			v.Reach = kustomerReach(f, tok)
		}
		return v
	case http.StatusUnauthorized:
		msg, ok := kustomerMessage(a.body)
		if !ok {
			return unknown("401 without Kustomer's error document (errors or message): a proxy's own refusal?")
		}
		detail := "401 " + orDefault(clip(msg), "unauthorized")
		if strings.Contains(strings.ToLower(msg), "expired") {
			detail = "expired: " + clip(msg)
		}
		return finding.Validation{Status: finding.Invalid, CheckedAt: now, Detail: detail}
	case http.StatusForbidden:
		return unknown("403: valid format, could not verify (possible IP restriction)")
	}
	return unknown(fmt.Sprintf("unexpected HTTP %d", a.status))
}

// kustomerMessage reads the first error message of Kustomer's error shapes
// ({"errors":[{"code","message"}]}, JSON:API {"errors":[{"detail"|"title"}]},
// or a top-level message), and whether the body was one of them.
func kustomerMessage(body []byte) (string, bool) {
	var e struct {
		Errors []struct {
			Code, Message, Detail, Title string
		} `json:"errors"`
		Message *string `json:"message"`
	}
	if json.Unmarshal(body, &e) != nil {
		return "", false
	}
	for _, x := range e.Errors {
		for _, s := range []string{x.Message, x.Detail, x.Title, x.Code} {
			if s != "" {
				return s, true
			}
		}
	}
	if e.Message != nil {
		return *e.Message, true
	}
	return "", false
}

// kustomerToken checks the token document of /v1/auth/tokens/current and
// returns its name and roles for the report, or why it is not that document.
func kustomerToken(body []byte, tok string) (string, string) {
	var rec struct {
		Data *struct {
			Type       string `json:"type"`
			Attributes *struct {
				Name           string   `json:"name"`
				Roles          []string `json:"roles"`
				LastTokenChars string   `json:"lastTokenChars"`
			} `json:"attributes"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &rec) != nil || rec.Data == nil || rec.Data.Attributes == nil {
		return "", "HTTP 200 without Kustomer's token document (data.attributes)"
	}
	at := rec.Data.Attributes
	if at.LastTokenChars != "" && !strings.HasSuffix(tok, at.LastTokenChars) {
		return "", "HTTP 200 whose token document ends another key (lastTokenChars differ)"
	}
	if at.Name == "" {
		return "", ""
	}
	return fmt.Sprintf(" (token %q, roles %s)", clip(at.Name), clip(strings.Join(at.Roles, ","))), ""
}
