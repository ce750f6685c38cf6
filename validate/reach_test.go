package validate

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
)

func randomIDs(seed uint64, n int) []string {
	r := rand.New(rand.NewPCG(seed, 1))
	ids := make([]string, n)
	for i := range ids {
		ids[i] = rules.RandomUUID(r)
	}
	return ids
}

// Issue 17: a live plugin token's reach is read page by page (two websites
// a page here), stopping at an empty or short page, at ReachMaxPages, or at
// the budget; each page is one request.
func TestCrispReachPages(t *testing.T) {
	cases := []struct {
		name      string
		websites  int
		maxPages  int
		budget    int
		wantSites int
		wantReqs  int // the account GET and the pages
		partial   bool
	}{
		{name: "short last page", websites: 5, wantSites: 5, wantReqs: 1 + 3},
		{name: "full last page, then an empty one", websites: 4, wantSites: 4, wantReqs: 1 + 3},
		{name: "no websites", websites: 0, wantReqs: 1 + 1},
		{name: "page cap", websites: 9, maxPages: 2, wantSites: 4, wantReqs: 1 + 2, partial: true},
		{name: "budget", websites: 9, budget: 3, wantSites: 4, wantReqs: 3, partial: true},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fx := fixture(40 + uint64(i))
			s := newCrispStandIn(t)
			sites := randomIDs(uint64(i), c.websites)
			s.tokens[fx.ID+":"+fx.Key] = crispToken{tier: "plugin", pluginID: fx.ID2, websites: sites}
			opts := fastOptions(s.URL, "")
			opts.Reach, opts.ReachMaxPages = true, c.maxPages
			if c.budget > 0 {
				opts.Budgets = map[string]int{"crisp": c.budget}
			}
			f := crispFinding(fx.ID, fx.Key, "")
			got := New(opts).Check(context.Background(), &f)
			if got.Status != finding.Live || got.Reach == nil {
				t.Fatalf("%s %q, reach %+v", got.Status, got.Detail, got.Reach)
			}
			want := &finding.Reach{Websites: c.wantSites, WebsiteIDs: sites[:c.wantSites], Partial: c.partial}
			if c.wantSites == 0 {
				want.WebsiteIDs = nil
			}
			if !reflect.DeepEqual(want, got.Reach) {
				t.Errorf("reach %+v, want %+v", got.Reach, want)
			}
			if n := len(s.sent()); n != c.wantReqs {
				t.Errorf("%d requests, want %d", n, c.wantReqs)
			}
			if c.partial != strings.Contains(got.Detail, "reach:") {
				t.Errorf("detail %q does not say why the listing stopped", got.Detail)
			}
		})
	}
}

// The reach is kept in the validation cache: the next run sends nothing and
// reports the same workspaces; the per-website plugin tokens the listing
// carries are never kept.
func TestCrispReachCached(t *testing.T) {
	fx := fixture(50)
	s := newCrispStandIn(t)
	sites := randomIDs(50, 3)
	s.tokens[fx.ID+":"+fx.Key] = crispToken{tier: "plugin", websites: sites}
	path := filepath.Join(t.TempDir(), "cache.json")
	var reaches []*finding.Reach
	for run := 0; run < 2; run++ {
		c, err := OpenCache(path, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		opts := fastOptions(s.URL, "")
		opts.Cache, opts.Reach = c, true
		f := crispFinding(fx.ID, fx.Key, "")
		reaches = append(reaches, New(opts).Check(context.Background(), &f).Reach)
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(s.sent()); n != 3 {
		t.Fatalf("%d requests over two runs, want 3 (account, two pages) in the first only", n)
	}
	if !reflect.DeepEqual(reaches[0], reaches[1]) || reaches[1] == nil || reaches[1].Websites != 3 {
		t.Fatalf("cached reach %+v, first run's %+v", reaches[1], reaches[0])
	}
	if b := readFile(t, path); strings.Contains(b, "subscription-") || strings.Contains(b, fx.Key) {
		t.Fatal("the cache holds a per-website token or the key")
	}
}

// Reach is opt-in for the library (the CLI turns it on): off, a live token
// costs one request.
func TestCrispReachOff(t *testing.T) {
	fx := fixture(51)
	s := newCrispStandIn(t)
	s.tokens[fx.ID+":"+fx.Key] = crispToken{tier: "plugin", websites: randomIDs(51, 3)}
	f := crispFinding(fx.ID, fx.Key, "")
	got := New(fastOptions(s.URL, "")).Check(context.Background(), &f)
	if got.Reach != nil || len(s.sent()) != 1 {
		t.Fatalf("reach %+v after %d requests", got.Reach, len(s.sent()))
	}
}

// A Kustomer key's reach comes from its claims, without a request: from the
// detector's details when present, else from the token itself.
func TestKustomerReachFromClaims(t *testing.T) {
	fx := fixture(52)
	s := newKustomerStandIn(t)
	s.live[fx.KustomerMany] = true
	opts := fastOptions("", s.URL)
	opts.Reach = true
	f := kustomerFinding(fx.KustomerMany)
	f.Details = nil
	got := New(opts).Check(context.Background(), &f)
	r := got.Reach
	if got.Status != finding.Live || r == nil || !strings.HasPrefix(r.Org, "acme-") || len(r.Roles) != 20 ||
		r.Expires.Before(time.Now().Add(80*24*time.Hour)) {
		t.Fatalf("%s, reach %+v", got.Status, r)
	}
	s.mu.Lock()
	hits := s.hits
	s.mu.Unlock()
	if hits != 1 {
		t.Fatalf("%d requests, want 1 (the check; reach costs none)", hits)
	}
	d := &finding.Finding{Details: map[string]string{"org_name": "acme", "roles": "org.admin,org.user", "expires_at": "never"}}
	want := &finding.Reach{Org: "acme", Roles: []string{"org.admin", "org.user"}}
	if got := kustomerReach(d, fx.KustomerMany); !reflect.DeepEqual(want, got) {
		t.Errorf("reach from details %+v, want %+v", got, want)
	}
	b, _ := json.Marshal(r)
	if strings.Contains(string(b), fx.KustomerMany) {
		t.Fatal("the reach holds the key")
	}
}

// Issue 12: a revoked pair with no website id in sight says exactly what
// would settle it; the website ids of the whole tree settle it; at most
// crispMaxWebsites ids are tried per pair, and non-UUIDs never.
func TestCrispTreeWebsiteIDsSettleRevokedPair(t *testing.T) {
	fx := fixture(53)
	s := newCrispStandIn(t)
	s.tokens[fx.ID+":"+fx.Key] = crispToken{tier: "plugin", revoked: true}
	f := crispFinding(fx.ID, fx.Key, "")
	got := New(fastOptions(s.URL, "")).Check(context.Background(), &f)
	if got.Status != finding.Unknown || !strings.Contains(got.Detail, "--crisp-website-id <id>") {
		t.Fatalf("no website id: %s %q, want unknown naming --crisp-website-id", got.Status, got.Detail)
	}
	v := New(fastOptions(s.URL, ""))
	tree := append([]string{"not-a-uuid", strings.ToUpper(fx.WebsiteID)}, randomIDs(53, 7)...)
	v.AddWebsiteIDs(tree)
	before := len(s.sent())
	got = v.Check(context.Background(), &f)
	if got.Status != finding.Invalid {
		t.Fatalf("with the tree's ids: %s %q, want invalid", got.Status, got.Detail)
	}
	var tried []string
	for _, r := range s.sent()[before:] {
		if r.tier == "website" {
			tried = append(tried, strings.TrimPrefix(r.path, "/v1/website/"))
		}
	}
	want := append([]string{fx.WebsiteID}, randomIDs(53, 7)[:crispMaxWebsites-1]...)
	if !slices.Equal(tried, want) {
		t.Fatalf("website ids tried %v, want %v", tried, want)
	}
}
