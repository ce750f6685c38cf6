package validate

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/scanner-dev/scanner/finding"
)

// DefaultCrispURL is the Crisp REST API base URL (override: CRISP_API_URL).
const DefaultCrispURL = "https://api.crisp.chat/v1"

// crispMaxWebsites bounds the website ids tried for one website-tier check.
const crispMaxWebsites = 3

// crispChecker checks Crisp token pairs. A pair does not say its tier, so
// it tries the tier the context hints at first, then the other, one request
// after another (each spends the owner's daily quota), and stops as soon as a
// tier accepts the token.
type crispChecker struct {
	base       string
	req        *requester
	websiteIDs []string // given by the user (--crisp-website-id)
}

// tierResult is what one tier said: live, invalid (401) or unknown.
type tierResult struct {
	status finding.Status
	detail string
}

func (c *crispChecker) check(ctx context.Context, f *finding.Finding) finding.Validation {
	id, okID := f.Part("identifier")
	key, okKey := f.Part("key")
	if !okID || !okKey {
		return unknown("not a Crisp identifier and key pair")
	}
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(id.Reveal()+":"+key.Reveal()))
	var notes []string
	allInvalid := true
	tiers := crispTierOrder(f.TierHint)
	if known := acceptedTier(f); known != "" {
		// the tier that once accepted the pair is its tier: only its answer
		// counts (a recheck of a leak, a report validated before)
		tiers = []string{known}
	}
	for _, tier := range tiers {
		var r tierResult
		if tier == "plugin" {
			r = c.plugin(ctx, auth)
		} else {
			r = c.website(ctx, auth, c.websites(f))
		}
		if r.status == finding.Live {
			return finding.Validation{Status: finding.Live, Tier: tier, CheckedAt: time.Now().UTC(), Detail: r.detail}
		}
		notes = append(notes, tier+": "+r.detail)
		allInvalid = allInvalid && r.status == finding.Invalid
		if ctx.Err() != nil {
			break
		}
	}
	if allInvalid {
		return finding.Validation{Status: finding.Invalid, CheckedAt: time.Now().UTC(), Detail: strings.Join(notes, "; ")}
	}
	return unknown(strings.Join(notes, "; "))
}

// acceptedTier returns the tier an earlier validation found the pair live
// on, if any.
func acceptedTier(f *finding.Finding) string {
	if v := f.Validation; v != nil && v.Status == finding.Live && (v.Tier == "plugin" || v.Tier == "website") {
		return v.Tier
	}
	return ""
}

// crispTierOrder tries the hinted tier first; plugin, then website, otherwise.
func crispTierOrder(hint string) []string {
	if hint == "website" {
		return []string{"website", "plugin"}
	}
	return []string{"plugin", "website"}
}

func (c *crispChecker) websites(f *finding.Finding) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range append(append([]string(nil), f.WebsiteIDs...), c.websiteIDs...) {
		w = strings.ToLower(w)
		if !seen[w] && len(out) < crispMaxWebsites {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// plugin checks the plugin tier: HEAD /plugin/connect/session, then, once
// the token is known live, GET /plugin/connect/account for the plugin id.
func (c *crispChecker) plugin(ctx context.Context, auth string) tierResult {
	a, err := c.req.do(ctx, c.request(http.MethodHead, "/plugin/connect/session", auth, "plugin"))
	if err != nil {
		return tierResult{finding.Unknown, err.Error()}
	}
	switch a.status {
	case http.StatusOK:
		return tierResult{finding.Live, "plugin token accepted" + c.pluginID(ctx, auth)}
	case http.StatusUnauthorized:
		return tierResult{finding.Invalid, "401 unauthorized"}
	}
	return tierResult{finding.Unknown, fmt.Sprintf("unexpected HTTP %d", a.status)}
}

func (c *crispChecker) pluginID(ctx context.Context, auth string) string {
	a, err := c.req.do(ctx, c.request(http.MethodGet, "/plugin/connect/account", auth, "plugin"))
	if err != nil || a.status != http.StatusOK {
		return ""
	}
	var env struct {
		Data struct {
			PluginID string `json:"plugin_id"`
		} `json:"data"`
	}
	if json.Unmarshal(a.body, &env) != nil || env.Data.PluginID == "" {
		return ""
	}
	return " (plugin " + env.Data.PluginID + ")"
}

// website checks the website tier on each website id: 200, or 404
// not_subscribed, proves the token authenticated.
func (c *crispChecker) website(ctx context.Context, auth string, ids []string) tierResult {
	if len(ids) == 0 {
		return tierResult{finding.Unknown, "no website id to check a website token against (use --crisp-website-id)"}
	}
	res := tierResult{status: finding.Invalid}
	var notes []string
	for _, id := range ids {
		r := c.websiteOne(ctx, auth, id)
		if r.status == finding.Live {
			return r
		}
		notes = append(notes, r.detail)
		if r.status == finding.Unknown {
			res.status = finding.Unknown
		}
	}
	res.detail = strings.Join(notes, ", ")
	return res
}

func (c *crispChecker) websiteOne(ctx context.Context, auth, id string) tierResult {
	a, err := c.req.do(ctx, c.request(http.MethodGet, "/website/"+url.PathEscape(id), auth, "website"))
	if err != nil {
		return tierResult{finding.Unknown, err.Error()}
	}
	reason := crispReason(a.body)
	switch {
	case a.status == http.StatusOK:
		return tierResult{finding.Live, "website token accepted for website " + id}
	case a.status == http.StatusNotFound && reason == "not_subscribed":
		return tierResult{finding.Live, "token authenticated (website " + id + " not subscribed)"}
	case a.status == http.StatusUnauthorized:
		return tierResult{finding.Invalid, "401 " + orDefault(reason, "unauthorized")}
	case a.status == http.StatusForbidden && reason == "not_allowed":
		return tierResult{finding.Live, "token authenticated but not allowed on website " + id}
	}
	return tierResult{finding.Unknown, fmt.Sprintf("unexpected HTTP %d %s", a.status, reason)}
}

// request builds a Crisp request with the Basic credential and tier header.
func (c *crispChecker) request(method, path, auth, tier string) func(context.Context) (*http.Request, error) {
	return func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, method, c.base+path, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", auth)
		req.Header.Set("X-Crisp-Tier", tier)
		req.Header.Set("Accept", "application/json")
		return req, nil
	}
}

// crispReason reads the reason of Crisp's {"error", "reason", "data"}
// envelope, or "" when the body is not that envelope.
func crispReason(body []byte) string {
	var env struct {
		Error  *bool  `json:"error"`
		Reason string `json:"reason"`
	}
	if json.Unmarshal(body, &env) != nil || env.Error == nil {
		return ""
	}
	return env.Reason
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func unknown(detail string) finding.Validation {
	return finding.Validation{Status: finding.Unknown, CheckedAt: time.Now().UTC(), Detail: detail}
}
