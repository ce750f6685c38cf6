package validate

import (
	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
)

// Finish ends a run's validation of n credentials: it records in st (when
// not nil) what each provider's budget was spent on, logs each provider
// validation stopped early for (its remaining credentials are unknown) and
// the requests made, and saves cache (nil: none).
func (v *Validator) Finish(cache *Cache, st *finding.Stats, n int, log zerolog.Logger) error {
	usage := v.Usage()
	if st != nil && len(usage) > 0 {
		st.Providers = usage
	}
	for key, u := range usage {
		if u.QuotaSpent || u.Skipped > 0 {
			log.Warn().Str("provider", key).Int("requests", u.Requests).Int("budget", u.Budget).Bool("quota_spent", u.QuotaSpent).
				Int("left_unknown", u.Skipped).Msg("validation stopped early for this provider: the rest are unknown")
		}
	}
	log.Info().Interface("requests", v.Requests()).Int("credentials", n).Msg("validated")
	return cache.Save()
}
