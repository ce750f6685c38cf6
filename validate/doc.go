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
// Explicit means provider-shaped (shape.go). A captive portal or proxy can
// answer anything, so a status alone proves nothing:
//   - Crisp live is a 200 carrying the documented envelope
//     {"error":false,"reason":…,"data":{…}} from a GET (the plugin tier asks
//     GET /plugin/connect/account, not HEAD /plugin/connect/session, whose
//     empty body cannot show the envelope), or an error envelope that proves
//     authentication (404 not_subscribed, 403 not_allowed). Crisp invalid is
//     a 401 with the error envelope and the documented reason invalid_session
//     on every tier tried; a 401 with HTML, {} or another reason is Unknown.
//   - Kustomer live is the token document {"data":{"attributes":{…}}} whose
//     lastTokenChars, when present, end the key; invalid is a 401 carrying
//     Kustomer's error document (errors array or message); a proxy's HTML
//     401 is Unknown.
//   - Neither provider documents its Content-Type: a missing one is let
//     through to the body check, a non-JSON one (text/html) is Unknown.
//
// A Crisp pair is tried on the website tier against at most five website
// ids (crispMaxWebsites): --crisp-website-id ones, the finding's own, then
// those the whole scanned tree holds (Validator.AddWebsiteIDs). A pair no id
// could be tried for stays Unknown, and its detail says how to settle it.
//
// Quotas are the owners': each provider key ("crisp/plugin",
// "crisp/website", "kustomer", "check:<host>") has a request budget for the
// run (Options.Budgets, DefaultBudget 500), and a 429/420 that names a
// quota, asks for a longer wait than MaxRetryWait, or keeps coming through
// every retry, or rate-limit headers saying nothing remains until a distant
// reset, marks the key's quota spent: no further request goes to it, and the
// credentials left are Unknown with a detail saying so and when it resets.
// Validator.Usage reports what each key spent (finding.Stats.Providers).
//
// With Options.Reach, a live credential's blast radius is looked up
// (finding.Reach): the workspaces a Crisp plugin token lists, page by page
// within the plugin tier's budget, and a Kustomer key's org, roles and expiry
// from its claims, with no request.
//
// Each distinct credential (rule + fingerprint) is checked once per run;
// concurrent duplicates wait for the first check, an optional file cache keeps
// answers (and reach) across runs, and a per-provider rate limiter and retry
// policy (honouring Retry-After) spare the owners' daily quotas.
//
// Settings are a run's validation flags as given, bound by Bind (every
// scanning command takes them): Check refuses what cannot work, Open builds the run's Session (validator and cache, Done once), and
// Fails says which findings fail the run (--fail-on).
//
// It imports finding, rules (for declarative checks) and cliflag (the flag
// values Bind uses), never another stage.
package validate
