package report

import (
	"time"

	"github.com/scanner-dev/scanner/finding"
)

// jsonReach is finding.Reach with its own JSON names, writing no expiry
// (rather than year 1) when the credential never expires.
type jsonReach struct {
	Websites   int        `json:"websites,omitempty"`
	WebsiteIDs []string   `json:"website_ids,omitempty"`
	Partial    bool       `json:"partial,omitempty"`
	Org        string     `json:"org,omitempty"`
	Roles      []string   `json:"roles,omitempty"`
	Expires    *time.Time `json:"expires,omitempty"`
}

func toJSONReach(r *finding.Reach) *jsonReach {
	if r == nil {
		return nil
	}
	j := &jsonReach{Websites: r.Websites, WebsiteIDs: r.WebsiteIDs, Partial: r.Partial, Org: r.Org, Roles: r.Roles}
	if !r.Expires.IsZero() {
		e := r.Expires
		j.Expires = &e
	}
	return j
}

func fromJSONReach(j *jsonReach) *finding.Reach {
	if j == nil {
		return nil
	}
	r := &finding.Reach{Websites: j.Websites, WebsiteIDs: j.WebsiteIDs, Partial: j.Partial, Org: j.Org, Roles: j.Roles}
	if j.Expires != nil {
		r.Expires = *j.Expires
	}
	return r
}

// jsonUsage is finding.ProviderUsage with its own JSON names, writing no
// reset time when the provider gave none.
type jsonUsage struct {
	Requests    int        `json:"requests"`
	Budget      int        `json:"budget"`
	QuotaSpent  bool       `json:"quota_spent,omitempty"`
	QuotaResets *time.Time `json:"quota_resets,omitempty"`
	Skipped     int        `json:"skipped,omitempty"`
}

func toJSONUsage(m map[string]finding.ProviderUsage) map[string]jsonUsage {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]jsonUsage, len(m))
	for k, u := range m {
		j := jsonUsage{Requests: u.Requests, Budget: u.Budget, QuotaSpent: u.QuotaSpent, Skipped: u.Skipped}
		if !u.QuotaResets.IsZero() {
			t := u.QuotaResets
			j.QuotaResets = &t
		}
		out[k] = j
	}
	return out
}

func fromJSONUsage(m map[string]jsonUsage) map[string]finding.ProviderUsage {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]finding.ProviderUsage, len(m))
	for k, j := range m {
		u := finding.ProviderUsage{Requests: j.Requests, Budget: j.Budget, QuotaSpent: j.QuotaSpent, Skipped: j.Skipped}
		if j.QuotaResets != nil {
			u.QuotaResets = *j.QuotaResets
		}
		out[k] = u
	}
	return out
}
