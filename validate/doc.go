// Package validate asks each credential's provider whether it still works,
// and says live, invalid or unknown (finding.Validation).
//
// One checker per provider: Crisp (both tier headers, one after the other),
// Kustomer (/v1/auth/tokens/current), and declarative HTTP checks that rules
// carry in their TOML. Every checker sends a credential only to its own
// provider's base URL (overridable: CRISP_API_URL, KUSTOMER_API_URL), never
// follows redirects, and turns every error, timeout and unrecognised answer
// into Unknown: only an explicit rejection is Invalid, only an explicit
// acceptance is Live.
//
// Each distinct credential (rule + fingerprint) is checked once per run;
// concurrent duplicates wait for the first check, an optional file cache keeps
// answers across runs, and a per-provider rate limiter and retry policy
// (honouring Retry-After) spare the owners' daily quotas.
//
// It imports finding and rules (for declarative checks), never another stage.
package validate
