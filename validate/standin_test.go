package validate

import (
	"encoding/base64"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
)

// crispToken is a token the stand-in Crisp API knows.
type crispToken struct {
	tier     string   // "plugin" or "website"
	websites []string // website tier: its workspace; plugin tier: websites that installed the plugin
	pluginID string
	revoked  bool
}

// crispStandIn behaves as provider-spec.md A.4-A.6 describes the Crisp API:
// Basic auth with a tier header, 401 invalid_session for unknown, revoked or
// wrong-tier tokens, 404 not_subscribed for a plugin token on a website that
// did not install the plugin, and programmable 429s, 5xx and slowness.
type crispStandIn struct {
	*httptest.Server
	mu            sync.Mutex
	tokens        map[string]crispToken // "id:key" -> token
	throttle      int                   // answer this many requests 429 first
	retryAfter    string
	failures      int           // answer this many requests 500 first
	delay         time.Duration // sleep before answering
	firewall      bool          // answer foreign website routes with an HTML 403
	portal        string        // answer everything 200 as a captive portal would: "html", "{}", "shape"
	quota         int           // plugin-tier requests answered before the daily quota is spent (0: none)
	quotaUsed     int
	quotaAllTiers bool // the quota covers the website tier too
	quotaReply    func(http.ResponseWriter)
	pageSize      int // websites per page of /plugin/connect/websites/all (default 2)
	requests      []recorded
}

type recorded struct {
	method, path, tier, auth, agent string
}

func newCrispStandIn(t *testing.T) *crispStandIn {
	s := &crispStandIn{tokens: map[string]crispToken{}, retryAfter: "1"}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *crispStandIn) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, recorded{r.Method, r.URL.Path, r.Header.Get("X-Crisp-Tier"), r.Header.Get("Authorization"), r.Header.Get("User-Agent")})
	throttled, failing, delay := s.throttle > 0, s.failures > 0, s.delay
	if throttled {
		s.throttle--
	} else if failing {
		s.failures--
	}
	tok, known := s.tokens[basicPair(r)]
	overQuota := s.overQuota(r)
	s.mu.Unlock()
	time.Sleep(delay)
	switch {
	case s.portal != "":
		portalReply(w, s.portal)
	case overQuota:
		s.quotaReply(w)
	case throttled:
		w.Header().Set("Retry-After", s.retryAfter)
		crispReply(w, 429, "rate_limited", nil)
	case failing:
		crispReply(w, 500, "error", nil)
	case !known || tok.revoked || tok.tier != r.Header.Get("X-Crisp-Tier"):
		crispReply(w, 401, "invalid_session", nil)
	default:
		s.route(w, r, tok)
	}
}

// overQuota counts a plugin-tier request (any, with quotaAllTiers) against the daily quota and
// reports whether the quota was already spent. Callers hold mu.
func (s *crispStandIn) overQuota(r *http.Request) bool {
	if s.quota == 0 || (r.Header.Get("X-Crisp-Tier") != "plugin" && !s.quotaAllTiers) {
		return false
	}
	s.quotaUsed++
	return s.quotaUsed > s.quota
}

// quotaPlain answers a spent quota with a bare 429 and a short Retry-After:
// nothing in it names the quota, as Crisp's reason string is undocumented.
func quotaPlain(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "1")
	crispReply(w, 429, "rate_limited", nil)
}

// quotaNamed answers a spent quota naming it, resetting in hours.
func quotaNamed(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "36000")
	crispReply(w, 429, "quota_limit_exceeded", nil)
}

// portalReply answers as a captive portal or proxy would, with a 200.
func portalReply(w http.ResponseWriter, kind string) {
	switch kind {
	case "html":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<html><body>Sign in to the guest Wi-Fi</body></html>"))
	case "json-html":
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`{"error":false,"reason":"resolved","data":{}}`))
	case "{}":
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("{}"))
	case "shape":
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok","data":[1,2]}`))
	}
}

func (s *crispStandIn) route(w http.ResponseWriter, r *http.Request, tok crispToken) {
	switch p := strings.TrimPrefix(r.URL.Path, "/v1"); {
	case p == "/plugin/connect/session" && tok.tier == "plugin":
		w.WriteHeader(200)
	case p == "/plugin/connect/account" && tok.tier == "plugin":
		crispReply(w, 200, "resolved", map[string]string{"plugin_id": tok.pluginID})
	case strings.HasPrefix(p, "/plugin/connect/websites/all/") && tok.tier == "plugin":
		s.websitesPage(w, r, tok)
	case strings.HasPrefix(p, "/website/"):
		id := strings.TrimPrefix(p, "/website/")
		switch {
		case contains(tok.websites, id):
			crispReply(w, 200, "resolved", map[string]string{"website_id": id, "name": "Acme"})
		case s.firewall:
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(403)
			_, _ = w.Write([]byte("<html><body>Access denied by the web application firewall</body></html>"))
		default:
			crispReply(w, 404, "not_subscribed", nil)
		}
	default:
		crispReply(w, 403, "restricted_route_tier", nil)
	}
}

// websitesPage serves one page of the websites that installed the plugin,
// pageSize at a time, each with its per-website plugin token.
func (s *crispStandIn) websitesPage(w http.ResponseWriter, r *http.Request, tok crispToken) {
	page, err := strconv.Atoi(path.Base(r.URL.Path))
	if err != nil || page < 1 || r.URL.Query().Get("filter_configured") != "0" {
		crispReply(w, 400, "invalid_data", nil)
		return
	}
	size := s.pageSize
	if size == 0 {
		size = 2
	}
	list := []map[string]any{}
	for i := (page - 1) * size; i < min(page*size, len(tok.websites)); i++ {
		list = append(list, map[string]any{"website_id": tok.websites[i], "token": "subscription-" + strconv.Itoa(i), "settings": map[string]string{}})
	}
	crispReply(w, 200, "listed", list)
}

func crispReply(w http.ResponseWriter, status int, reason string, data any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if data == nil {
		data = map[string]string{}
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"error": status >= 400, "reason": reason, "data": data})
}

func basicPair(r *http.Request) string {
	b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(r.Header.Get("Authorization"), "Basic "))
	if err != nil {
		return ""
	}
	return string(b)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (s *crispStandIn) sent() []recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recorded(nil), s.requests...)
}

// kustomerStandIn answers GET /v1/auth/tokens/current as provider-spec.md B.4
// says: 200 with the token record, 401 with an errors array ("Expired token"
// for expired keys), and programmable 429s and 5xx.
type kustomerStandIn struct {
	*httptest.Server
	mu       sync.Mutex
	live     map[string]bool // token -> live
	expired  map[string]bool
	throttle int
	failures int
	hits     int
	portal   string // answer as a proxy would: "html" (200), "{}" (200), "html401", "other" (200, another key's document)
}

func newKustomerStandIn(t *testing.T) *kustomerStandIn {
	s := &kustomerStandIn{live: map[string]bool{}, expired: map[string]bool{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *kustomerStandIn) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits++
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	throttled, failing := s.throttle > 0, s.failures > 0
	s.throttle -= min(s.throttle, 1)
	if !throttled {
		s.failures -= min(s.failures, 1)
	}
	live, expired := s.live[tok], s.expired[tok]
	s.mu.Unlock()
	if s.portal != "" {
		kustomerPortal(w, s.portal)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.URL.Path != "/v1/auth/tokens/current":
		w.WriteHeader(404)
	case throttled:
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(429)
	case failing:
		w.WriteHeader(503)
	case live:
		_, _ = w.Write([]byte(`{"data":{"type":"token","attributes":{"name":"sync bot","roles":["org.admin"],"lastTokenChars":"` + tok[len(tok)-4:] + `"}}}`))
	case expired:
		w.WriteHeader(401)
		_, _ = w.Write([]byte(`{"errors":[{"code":"unauthorized","message":"Expired token"}]}`))
	default:
		w.WriteHeader(401)
		_, _ = w.Write([]byte(`{"errors":[{"code":"unauthorized","message":"Unauthorized"}]}`))
	}
}

func kustomerPortal(w http.ResponseWriter, kind string) {
	switch kind {
	case "html", "html401":
		w.Header().Set("Content-Type", "text/html")
		if kind == "html401" {
			w.WriteHeader(401)
		}
		_, _ = w.Write([]byte("<html><body>Proxy login</body></html>"))
	case "{}":
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("{}"))
	case "other":
		w.Header().Set("Content-Type", "application/vnd.api+json")
		_, _ = w.Write([]byte(`{"data":{"type":"token","attributes":{"name":"x","lastTokenChars":"-no-"}}}`))
	}
}

// headerWrap sets headers on every answer of h.
func headerWrap(h http.Handler, headers map[string]string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		h.ServeHTTP(w, r)
	})
}

// fixtures for credentials generated at run time.
func fixture(seed uint64) *rules.Fixture {
	return rules.NewFixture(rand.New(rand.NewPCG(seed, 42)))
}

func crispFinding(id, key, tierHint string, websites ...string) finding.Finding {
	parts := []finding.Part{{Name: "identifier", Value: finding.NewSecret(id)}, {Name: "key", Value: finding.NewSecret(key)}}
	return finding.Finding{RuleID: "crisp-token", Provider: "crisp", Parts: parts,
		Fingerprint: finding.Fingerprint(parts...), TierHint: tierHint, WebsiteIDs: websites}
}

func kustomerFinding(tok string) finding.Finding {
	parts := []finding.Part{{Name: "token", Value: finding.NewSecret(tok)}}
	return finding.Finding{RuleID: "kustomer-api-key", Provider: "kustomer", Parts: parts,
		Fingerprint: finding.Fingerprint(parts...), Details: map[string]string{"org_name": "acme"}}
}

// fastOptions keeps retries and timeouts short for tests.
func fastOptions(crispURL, kustomerURL string) Options {
	return Options{CrispURL: crispURL + "/v1", KustomerURL: kustomerURL, Rate: 1000, Retries: 1,
		Timeout: 200 * time.Millisecond, Backoff: 10 * time.Millisecond, MaxRetryWait: 2 * time.Second,
		UserAgent: "scanner/test"}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
