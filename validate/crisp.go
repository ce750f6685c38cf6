package validate

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/scanner-dev/scanner/finding"
)

// DefaultCrispURL is the Crisp REST API base URL (override: CRISP_API_URL).
const DefaultCrispURL = "https://api.crisp.chat/v1"

// crispMaxWebsites bounds the website ids tried for one pair's website-tier
// check (each costs a request): --crisp-website-id ones first, then the
// finding's own, then those found elsewhere in the scanned tree.
const crispMaxWebsites = 5

// crispChecker checks Crisp token pairs. A pair does not say its tier, so
// it tries the tier the context hints at first, then the other, one request
// after another (each spends the owner's daily quota), and stops as soon as a
// tier accepts the token. Each tier has its own requester: its own budget
// and quota, as Crisp counts them apart.
type crispChecker struct {
	base     string
	plugin   *requester // X-Crisp-Tier: plugin
	website  *requester // X-Crisp-Tier: website
	userIDs  []string   // given by the user (--crisp-website-id)
	mu       sync.RWMutex
	treeIDs  []string // found anywhere in the scanned tree (AddWebsiteIDs)
	reach    bool     // list the workspaces a live plugin token reaches
	maxPages int      // website pages read per plugin token
}

// tierResult is what one tier said: live, invalid (401) or unknown.
type tierResult struct {
	status finding.Status
	detail string
	reach  *finding.Reach
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
			r = c.pluginTier(ctx, auth)
		} else {
			r = c.websiteTier(ctx, auth, c.websites(f))
		}
		if r.status == finding.Live {
			return finding.Validation{Status: finding.Live, Tier: tier, CheckedAt: time.Now().UTC(), Detail: r.detail, Reach: r.reach}
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

// uuidRe is a website id's shape; anything else is not tried.
var uuidRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
})

// websites returns the website ids to try for f, at most crispMaxWebsites.
func (c *crispChecker) websites(f *finding.Finding) []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	seen := map[string]bool{}
	var out []string
	for _, list := range [][]string{c.userIDs, f.WebsiteIDs, c.treeIDs} {
		for _, w := range list {
			w = strings.ToLower(strings.TrimSpace(w))
			if uuidRe().MatchString(w) && !seen[w] && len(out) < crispMaxWebsites {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}

func (c *crispChecker) addTreeIDs(ids []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.treeIDs = append(c.treeIDs, ids...)
}

// pluginTier checks the plugin tier with GET /plugin/connect/account: a GET,
// because a HEAD (/plugin/connect/session) has no body and so cannot show
// Crisp's envelope, and one request where HEAD then GET took two.
func (c *crispChecker) pluginTier(ctx context.Context, auth string) tierResult {
	a, err := c.plugin.do(ctx, c.request(http.MethodGet, "/plugin/connect/account", auth, "plugin"))
	if err != nil {
		return tierResult{status: finding.Unknown, detail: err.Error()}
	}
	switch {
	case a.status == http.StatusOK:
		env, why := crispOK(a)
		if why != "" {
			return tierResult{status: finding.Unknown, detail: why}
		}
		r := tierResult{status: finding.Live, detail: "plugin token accepted" + pluginID(env.Data)}
		if c.reach {
			var note string
			r.reach, note = c.reachOf(ctx, auth)
			r.detail += note
		}
		return r
	case a.status == http.StatusUnauthorized && crispError(a, "invalid_session"):
		return tierResult{status: finding.Invalid, detail: "401 invalid_session"}
	case a.status == http.StatusForbidden && crispError(a, "not_allowed"):
		return tierResult{status: finding.Live, detail: "plugin token authenticated (403 not_allowed: its scopes leave out the account route)"}
	}
	return tierResult{status: finding.Unknown, detail: crispUnexpected(a)}
}

func pluginID(data json.RawMessage) string {
	var d struct {
		PluginID string `json:"plugin_id"`
	}
	if json.Unmarshal(data, &d) != nil || !uuidRe().MatchString(d.PluginID) {
		return ""
	}
	return " (plugin " + d.PluginID + ")"
}

// settleHint says what would settle a pair no website id could be tried for.
const settleHint = "no website id to try it as a website token: run again with --crisp-website-id <id> " +
	"(the workspace's id, as in its chatbox snippet's CRISP_WEBSITE_ID or app.crisp.chat/website/<id>/); " +
	"a 401 there too proves the pair revoked"

// websiteTier checks the website tier on each website id: 200, or 404
// not_subscribed, proves the token authenticated.
func (c *crispChecker) websiteTier(ctx context.Context, auth string, ids []string) tierResult {
	if len(ids) == 0 {
		return tierResult{status: finding.Unknown, detail: settleHint}
	}
	res := tierResult{status: finding.Invalid}
	var notes []string
	for _, id := range ids {
		r, stopped := c.websiteOne(ctx, auth, id)
		if r.status == finding.Live {
			return r
		}
		notes = append(notes, r.detail)
		if r.status == finding.Unknown {
			res.status = finding.Unknown
		}
		if stopped {
			break
		}
	}
	res.detail = strings.Join(notes, ", ")
	return res
}

// websiteOne asks GET /website/{id}; stopped reports that the tier's budget
// or quota is spent, so no further id is worth trying.
func (c *crispChecker) websiteOne(ctx context.Context, auth, id string) (tierResult, bool) {
	a, err := c.website.do(ctx, c.request(http.MethodGet, "/website/"+url.PathEscape(id), auth, "website"))
	if err != nil {
		var stop errStopped
		return tierResult{status: finding.Unknown, detail: err.Error()}, errors.As(err, &stop) || ctx.Err() != nil
	}
	switch {
	case a.status == http.StatusOK:
		env, why := crispOK(a)
		if why == "" {
			why = sameWebsite(env.Data, id)
		}
		if why != "" {
			return tierResult{status: finding.Unknown, detail: why}, false
		}
		return tierResult{status: finding.Live, detail: "website token accepted for website " + id}, false
	case a.status == http.StatusNotFound && crispError(a, "not_subscribed"):
		return tierResult{status: finding.Live, detail: "token authenticated (website " + id + " not subscribed)"}, false
	case a.status == http.StatusUnauthorized && crispError(a, "invalid_session"):
		return tierResult{status: finding.Invalid, detail: "401 invalid_session"}, false
	case a.status == http.StatusForbidden && crispError(a, "not_allowed"):
		return tierResult{status: finding.Live, detail: "token authenticated but not allowed on website " + id}, false
	}
	return tierResult{status: finding.Unknown, detail: crispUnexpected(a)}, false
}

// sameWebsite says why a website answer is not about id, or "".
func sameWebsite(data json.RawMessage, id string) string {
	var d struct {
		WebsiteID *string `json:"website_id"`
	}
	if json.Unmarshal(data, &d) == nil && d.WebsiteID != nil && !strings.EqualFold(*d.WebsiteID, id) {
		return "HTTP 200 describing another website than the one asked for"
	}
	return ""
}

// crispUnexpected describes an answer that proves nothing either way.
func crispUnexpected(a answer) string {
	env, why := readCrisp(a)
	switch {
	case why != "":
		return why
	case a.status == http.StatusUnauthorized:
		return fmt.Sprintf("401 %s, not the documented invalid_session", clip(env.Reason))
	}
	return fmt.Sprintf("unexpected HTTP %d %s", a.status, clip(env.Reason))
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

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func unknown(detail string) finding.Validation {
	return finding.Validation{Status: finding.Unknown, CheckedAt: time.Now().UTC(), Detail: detail}
}
