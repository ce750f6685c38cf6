package validate

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/scanner-dev/scanner/finding"
)

// reachOf lists the workspaces a live plugin token reaches, one read-only
// GET /plugin/connect/websites/all/{page} per page, from page 1, until a page
// is empty or shorter than the first (the page size is not documented), or
// maxPages, or the tier's budget or quota says stop; a listing cut short is
// Partial, and note says why. Only website ids are kept: each entry's
// per-website plugin token is never read out.
func (c *crispChecker) reachOf(ctx context.Context, auth string) (*finding.Reach, string) {
	r := &finding.Reach{}
	seen := map[string]bool{}
	note, full := "", 0
	for page := 1; ; page++ {
		if page > c.maxPages {
			r.Partial, note = true, fmt.Sprintf("; reach: stopped after %d pages", c.maxPages)
			break
		}
		ids, n, why := c.websitePage(ctx, auth, page)
		if why != "" {
			r.Partial, note = true, fmt.Sprintf("; reach: page %d not read (%s)", page, why)
			break
		}
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				r.WebsiteIDs = append(r.WebsiteIDs, id)
			}
		}
		if n == 0 || n < full {
			break
		}
		full = max(full, n)
	}
	r.Websites = len(r.WebsiteIDs)
	return r, note
}

// websitePage reads one page of the websites list: its website ids and
// how many entries it held, or why it could not.
func (c *crispChecker) websitePage(ctx context.Context, auth string, page int) ([]string, int, string) {
	path := fmt.Sprintf("/plugin/connect/websites/all/%d?filter_configured=0&include_plan=0", page)
	a, err := c.plugin.extra(ctx, c.request(http.MethodGet, path, auth, "plugin"))
	if err != nil {
		return nil, 0, err.Error()
	}
	env, why := readCrisp(a)
	switch {
	case why != "":
		return nil, 0, why
	case a.status != http.StatusOK || env.Error:
		return nil, 0, fmt.Sprintf("HTTP %d %s", a.status, clip(env.Reason))
	}
	var list []struct {
		WebsiteID string `json:"website_id"`
	}
	if err := json.Unmarshal(env.Data, &list); err != nil {
		return nil, 0, "data is not the documented list of websites"
	}
	ids := make([]string, 0, len(list))
	for _, w := range list {
		if id := strings.ToLower(w.WebsiteID); uuidRe().MatchString(id) {
			ids = append(ids, id)
		}
	}
	return ids, len(list), ""
}

// kustomerReach reads a Kustomer key's org, roles and expiry from the
// detector's details, or else from the key's own claims (no request). The
// token itself is never logged nor kept.
func kustomerReach(f *finding.Finding, tok string) *finding.Reach {
	if d := f.Details; d["org_name"] != "" || d["org_id"] != "" {
		r := &finding.Reach{Org: d["org_name"]}
		if r.Org == "" {
			r.Org = d["org_id"]
		}
		if d["roles"] != "" {
			r.Roles = strings.Split(d["roles"], ",")
		}
		if t, err := time.Parse(time.RFC3339, d["expires_at"]); err == nil {
			r.Expires = t.UTC()
		}
		return r
	}
	return claimsReach(tok)
}

// claimsReach decodes the JWT payload of a Kustomer key.
func claimsReach(tok string) *finding.Reach {
	seg := strings.Split(tok, ".")
	if len(seg) != 3 {
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(seg[1], "="))
	var c struct {
		Org     string   `json:"org"`
		OrgName string   `json:"orgName"`
		Roles   []string `json:"roles"`
		Exp     int64    `json:"exp"`
	}
	if err != nil || json.Unmarshal(b, &c) != nil {
		return nil
	}
	r := &finding.Reach{Org: c.OrgName, Roles: c.Roles}
	if r.Org == "" {
		r.Org = c.Org
	}
	if c.Exp > 0 {
		r.Expires = time.Unix(c.Exp, 0).UTC()
	}
	return r
}
