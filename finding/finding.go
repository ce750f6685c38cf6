package finding

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// Severity ranks how bad a leak of a credential is.
type Severity string

// The severities, from least to most severe.
const (
	Info     Severity = "info"
	Low      Severity = "low"
	Medium   Severity = "medium"
	High     Severity = "high"
	Critical Severity = "critical"
)

// Rank orders severities: Info is 1, Critical 5, anything unknown 0.
func (s Severity) Rank() int {
	switch s {
	case Info:
		return 1
	case Low:
		return 2
	case Medium:
		return 3
	case High:
		return 4
	case Critical:
		return 5
	}
	return 0
}

// Part is one named piece of a credential: the identifier and the key of a
// Crisp token, the user and password of a Basic credential, or the token
// itself for single-part credentials.
type Part struct {
	Name  string
	Value Secret
}

// Location says where a credential was found. Line and Column are 1-based and
// count bytes; EndLine and EndColumn point at the last byte of the credential.
type Location struct {
	Repository  string    // owner/name, for organisation sweeps
	Path        string    // file path, relative to the scanned root
	Line        int       // line of the first byte of the credential
	Column      int       // column of the first byte
	EndLine     int       // line of the last byte
	EndColumn   int       // column of the last byte
	Commit      string    // commit that introduced it, for git sources
	AuthorName  string    // author of Commit
	AuthorEmail string    // author's email
	Date        time.Time // author date of Commit
	Blob        string    // git blob id holding the content, for git sources
	// Prior lists the blobs Commit replaced at Path (one per parent that had
	// the path). A credential also found in one of them was not introduced
	// here. Not reported.
	Prior []string
}

// Validation is what a live check learnt about a credential.
type Validation struct {
	Status    Status    // live, invalid or unknown
	Tier      string    // the tier or account kind that accepted it (Crisp: plugin, website)
	CheckedAt time.Time // when the provider answered
	Detail    string    // short human explanation, never the secret
	// Reach is what a live credential can reach (nil when not looked up).
	Reach *Reach
}

// Reach is the blast radius of a live credential: what an attacker holding it
// can reach. Crisp plugin tokens fill Websites and WebsiteIDs (read from the
// provider); Kustomer keys fill Org, Roles and Expires (read from the claims,
// no request).
type Reach struct {
	Websites   int       `json:"websites,omitempty"`    // workspaces the token reaches
	WebsiteIDs []string  `json:"website_ids,omitempty"` // their ids (public, not secret)
	Partial    bool      `json:"partial,omitempty"`     // the listing stopped early (budget, error)
	Org        string    `json:"org,omitempty"`         // Kustomer organisation
	Roles      []string  `json:"roles,omitempty"`       // Kustomer roles granted
	Expires    time.Time `json:"expires,omitempty"`     // when the credential stops working; zero if never
}

// SuppressReason says why triage hid a finding.
type SuppressReason string

// The suppression reasons. A finding with an empty reason is reported.
const (
	SuppressedInline    SuppressReason = "inline"    // a scanner:allow or gitleaks:allow comment on its line
	SuppressedAllowlist SuppressReason = "allowlist" // a rule or global allowlist (path, commit, value)
	SuppressedBaseline  SuppressReason = "baseline"  // listed in a baseline or .gitleaksignore
)

// Status is the tri-state result of validation.
type Status string

// Validation statuses. An error, a timeout or an answer that proves nothing is
// Unknown, never Invalid.
const (
	Live    Status = "live"
	Invalid Status = "invalid"
	Unknown Status = "unknown"
)

// Finding is one credential at one location.
type Finding struct {
	RuleID      string
	Provider    string
	Severity    Severity
	Description string
	Fingerprint string // "sha256:" + hex; see Fingerprint
	Parts       []Part
	Location
	// Start and End are byte offsets of the credential in the scanned content
	// (End exclusive). They let later steps look at the credential's line.
	Start, End int64
	TierHint   string            // what the context says about the tier (Crisp: plugin, website, user)
	WebsiteIDs []string          // public Crisp website ids seen with the credential
	Details    map[string]string // facts read from the credential itself (org, roles, expiry)
	Suppressed SuppressReason    // why triage hid it; empty when reported
	Validation *Validation       // nil until validated
	// Display is the redacted form when Parts are not known: a finding read
	// back from a report written without raw values. Redacted returns it then.
	Display string
}

// Part returns the named part, and whether the finding has it.
func (f *Finding) Part(name string) (Secret, bool) {
	for _, p := range f.Parts {
		if p.Name == name {
			return p.Value, true
		}
	}
	return Secret{}, false
}

// Redacted returns the credential for display: each part redacted, joined by
// ":" in the order of Parts; Display when the parts are not known.
func (f *Finding) Redacted() string {
	if len(f.Parts) == 0 {
		return f.Display
	}
	s := make([]string, len(f.Parts))
	for i, p := range f.Parts {
		s[i] = p.Value.Redacted()
	}
	return strings.Join(s, ":")
}

// Fingerprint identifies a credential whatever its encoding or location:
// "sha256:" and the lowercase hex SHA-256 of the parts' raw values joined by ":"
// (identifier + ":" + key for a pair, the secret itself for a single part).
func Fingerprint(parts ...Part) string {
	raw := make([]string, len(parts))
	for i, p := range parts {
		raw[i] = p.Value.Reveal()
	}
	sum := sha256.Sum256([]byte(strings.Join(raw, ":")))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// At returns a copy of the finding placed at loc: where (repository, path,
// commit, author, blob) comes from loc, while the position inside the content
// (line, column, offsets) stays the finding's own.
func (f Finding) At(loc Location) Finding {
	loc.Line, loc.Column, loc.EndLine, loc.EndColumn = f.Line, f.Column, f.EndLine, f.EndColumn
	f.Location = loc
	return f
}
