package finding

import "time"

// Stats counts what a run did.
type Stats struct {
	Commits       int64          // commits walked
	Blobs         int64          // distinct blobs or files scanned
	Bytes         int64          // bytes scanned
	SkippedBinary int64          // blobs or files not scanned because they hold binary data
	SkippedLarge  int64          // blobs or files not scanned because of --max-file-size
	Unreachable   int64          // blobs with findings that no commit reaches (dropped)
	Findings      int            // findings reported
	Suppressed    map[string]int // findings hidden, by reason (inline, allowlist, baseline)
	Warnings      int            // problems the scan went past
	Duration      time.Duration  // wall time of the run

	// MissingBlobs counts blobs the history references that the repository
	// does not have (a partial clone whose promisor could not supply them):
	// content that was not scanned.
	MissingBlobs int64
	// FetchedBlobs counts blobs fetched from a promisor remote to complete a
	// partial clone before scanning.
	FetchedBlobs int64
	// CorruptBlobs counts objects present but unreadable (bad zlib, bad delta).
	CorruptBlobs int64
	// Incomplete is set when the run stopped early (an interrupt): the findings
	// are those found so far.
	Incomplete bool
	// Providers is what validation spent, by provider and tier ("crisp/plugin").
	Providers map[string]ProviderUsage
}

// ProviderUsage is what validation spent of one provider's request budget.
type ProviderUsage struct {
	Requests    int       `json:"requests"`               // requests sent
	Budget      int       `json:"budget"`                 // the most the run could send
	QuotaSpent  bool      `json:"quota_spent,omitempty"`  // the provider said its quota is spent
	QuotaResets time.Time `json:"quota_resets,omitempty"` // when the provider said it resets
	Skipped     int       `json:"skipped,omitempty"`      // credentials left unknown for want of budget or quota
}

// Add sums o into s: the counts, the suppressions by reason, the provider
// usage, and Incomplete when either run was.
func (s *Stats) Add(o Stats) {
	s.Commits += o.Commits
	s.Blobs += o.Blobs
	s.Bytes += o.Bytes
	s.SkippedBinary += o.SkippedBinary
	s.SkippedLarge += o.SkippedLarge
	s.Unreachable += o.Unreachable
	s.Findings += o.Findings
	s.Warnings += o.Warnings
	s.Duration += o.Duration
	s.MissingBlobs += o.MissingBlobs
	s.FetchedBlobs += o.FetchedBlobs
	s.CorruptBlobs += o.CorruptBlobs
	s.Incomplete = s.Incomplete || o.Incomplete
	if len(o.Suppressed) > 0 && s.Suppressed == nil {
		s.Suppressed = map[string]int{}
	}
	for k, v := range o.Suppressed {
		s.Suppressed[k] += v
	}
	if len(o.Providers) > 0 && s.Providers == nil {
		s.Providers = map[string]ProviderUsage{}
	}
	for k, v := range o.Providers {
		u := s.Providers[k]
		u.Requests += v.Requests
		u.Budget += v.Budget
		u.Skipped += v.Skipped
		u.QuotaSpent = u.QuotaSpent || v.QuotaSpent
		if v.QuotaResets.After(u.QuotaResets) {
			u.QuotaResets = v.QuotaResets
		}
		s.Providers[k] = u
	}
}
