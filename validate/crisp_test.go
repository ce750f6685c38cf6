package validate

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/scanner-dev/scanner/finding"
)

func TestCrispStatuses(t *testing.T) {
	fx := fixture(1)
	cases := []struct {
		name       string
		token      *crispToken // nil: unknown to the API
		hint       string
		websites   []string
		setup      func(*crispStandIn)
		wantStatus finding.Status
		wantTier   string
		wantDetail string
	}{
		{name: "live plugin", token: &crispToken{tier: "plugin", pluginID: fx.ID2}, wantStatus: finding.Live, wantTier: "plugin", wantDetail: "plugin " + fx.ID2},
		{name: "live website", token: &crispToken{tier: "website", websites: []string{fx.WebsiteID}}, websites: []string{fx.WebsiteID}, wantStatus: finding.Live, wantTier: "website"},
		{name: "website token, other workspace: not_subscribed proves it", token: &crispToken{tier: "website", websites: []string{fx.UUID}}, websites: []string{fx.WebsiteID}, wantStatus: finding.Live, wantTier: "website", wantDetail: "not subscribed"},
		{name: "revoked", token: &crispToken{tier: "plugin", revoked: true}, websites: []string{fx.WebsiteID}, wantStatus: finding.Invalid, wantDetail: "invalid_session"},
		{name: "unknown token", websites: []string{fx.WebsiteID}, wantStatus: finding.Invalid},
		{name: "website token hinted plugin", token: &crispToken{tier: "website", websites: []string{fx.WebsiteID}}, hint: "plugin", websites: []string{fx.WebsiteID}, wantStatus: finding.Live, wantTier: "website"},
		{name: "website token without website id", token: &crispToken{tier: "website", websites: []string{fx.WebsiteID}}, wantStatus: finding.Unknown, wantDetail: "no website id"},
		{name: "firewall page is not proof", token: &crispToken{tier: "website", websites: []string{fx.UUID}}, websites: []string{fx.WebsiteID}, setup: func(s *crispStandIn) { s.firewall = true }, wantStatus: finding.Unknown, wantDetail: "403"},
		{name: "429 with Retry-After, then live", token: &crispToken{tier: "plugin"}, setup: func(s *crispStandIn) { s.throttle = 1 }, wantStatus: finding.Live, wantTier: "plugin"},
		{name: "rate limited throughout", token: &crispToken{tier: "plugin"}, setup: func(s *crispStandIn) { s.throttle = 100 }, wantStatus: finding.Unknown, wantDetail: "rate limited"},
		{name: "Retry-After too long", token: &crispToken{tier: "plugin"}, setup: func(s *crispStandIn) { s.throttle, s.retryAfter = 1, "3600" }, wantStatus: finding.Unknown, wantDetail: "longer than we wait"},
		{name: "500 then 200", token: &crispToken{tier: "plugin"}, setup: func(s *crispStandIn) { s.failures = 1 }, wantStatus: finding.Live, wantTier: "plugin"},
		{name: "JSON sent as text/html", token: &crispToken{tier: "plugin"}, setup: func(s *crispStandIn) { s.portal = "json-html" }, wantStatus: finding.Unknown, wantDetail: `Content-Type "text/html"`},
		{name: "envelope around a list", token: &crispToken{tier: "plugin"}, setup: func(s *crispStandIn) { s.Config.Handler = replyAll(200, "resolved", []string{}) }, wantStatus: finding.Unknown, wantDetail: "around a list"},
		{name: "401 with another reason", setup: func(s *crispStandIn) { s.Config.Handler = replyAll(401, "some_other_reason", nil) }, websites: []string{fx.WebsiteID}, wantStatus: finding.Unknown, wantDetail: "not the documented invalid_session"},
		{name: "200 about another website", token: &crispToken{tier: "website", websites: []string{fx.WebsiteID}}, websites: []string{fx.WebsiteID}, setup: func(s *crispStandIn) {
			s.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("X-Crisp-Tier") == "plugin" {
					crispReply(w, 401, "invalid_session", nil)
					return
				}
				crispReply(w, 200, "resolved", map[string]string{"website_id": fx.UUID})
			})
		}, wantStatus: finding.Unknown, wantDetail: "another website"},
		{name: "timeout", token: &crispToken{tier: "plugin"}, setup: func(s *crispStandIn) { s.delay = 600 * time.Millisecond }, wantStatus: finding.Unknown},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := newCrispStandIn(t)
			if c.token != nil {
				s.tokens[fx.ID+":"+fx.Key] = *c.token
			}
			if c.setup != nil {
				c.setup(s)
			}
			v := New(fastOptions(s.URL, ""))
			f := crispFinding(fx.ID, fx.Key, c.hint, c.websites...)
			got := v.Check(context.Background(), &f)
			if got.Status != c.wantStatus || got.Tier != c.wantTier || !strings.Contains(got.Detail, c.wantDetail) {
				t.Fatalf("got %s/%s %q, want %s/%s containing %q", got.Status, got.Tier, got.Detail, c.wantStatus, c.wantTier, c.wantDetail)
			}
			if got.Status != finding.Unknown && got.CheckedAt.IsZero() {
				t.Error("no checked_at")
			}
		})
	}
}

// replyAll answers every request with one Crisp envelope.
func replyAll(status int, reason string, data any) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { crispReply(w, status, reason, data) })
}

func TestCrispSendsBothTierHeadersInTurnAndStopsOnLive(t *testing.T) {
	fx := fixture(2)
	s := newCrispStandIn(t)
	s.tokens[fx.ID+":"+fx.Key] = crispToken{tier: "website", websites: []string{fx.WebsiteID}}
	v := New(fastOptions(s.URL, ""))
	f := crispFinding(fx.ID, fx.Key, "", fx.UUID, fx.WebsiteID)
	if got := v.Check(context.Background(), &f); got.Status != finding.Live {
		t.Fatalf("status %s %s", got.Status, got.Detail)
	}
	var tiers []string
	for _, r := range s.sent() {
		tiers = append(tiers, r.tier+" "+r.method+" "+r.path)
		if !strings.HasPrefix(r.auth, "Basic ") || r.agent != "scanner/test" {
			t.Errorf("request without Basic auth or user agent: %+v", r)
		}
	}
	want := []string{"plugin GET /v1/plugin/connect/account", "website GET /v1/website/" + fx.UUID}
	if len(tiers) != 2 || tiers[0] != want[0] || tiers[1] != want[1] {
		t.Fatalf("requests %v, want %v (the second website id answers not_subscribed and stops the check)", tiers, want)
	}
}

func TestCrispHintedWebsiteTierGoesFirst(t *testing.T) {
	fx := fixture(3)
	s := newCrispStandIn(t)
	s.tokens[fx.ID+":"+fx.Key] = crispToken{tier: "website", websites: []string{fx.WebsiteID}}
	v := New(Options{CrispURL: s.URL + "/v1", CrispWebsiteIDs: []string{fx.WebsiteID}, Rate: 1000})
	f := crispFinding(fx.ID, fx.Key, "website")
	got := v.Check(context.Background(), &f)
	sent := s.sent()
	if got.Status != finding.Live || len(sent) != 1 || sent[0].tier != "website" {
		t.Fatalf("status %s, requests %+v: want one website-tier request with the --crisp-website-id", got.Status, sent)
	}
}

// A pair once live on the plugin tier and now refused there is revoked,
// even with no website id to try the other tier: its tier is known.
func TestCrispKnownTierDecides(t *testing.T) {
	fx := fixture(2)
	s := newCrispStandIn(t)
	s.tokens[fx.ID+":"+fx.Key] = crispToken{tier: "plugin", revoked: true}
	v := New(fastOptions(s.URL, ""))
	f := crispFinding(fx.ID, fx.Key, "")
	if got := v.Check(context.Background(), &f); got.Status != finding.Unknown {
		t.Fatalf("tier unknown: %s, want unknown (it may be a website token)", got.Status)
	}
	g := crispFinding(fx.ID, fx.Key, "website")
	g.Validation = &finding.Validation{Status: finding.Live, Tier: "plugin"}
	if got := New(fastOptions(s.URL, "")).Check(context.Background(), &g); got.Status != finding.Invalid || !strings.Contains(got.Detail, "plugin: 401") {
		t.Fatalf("known plugin tier refusing it: %s %q, want invalid", got.Status, got.Detail)
	}
}
