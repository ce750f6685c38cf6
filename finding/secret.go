package finding

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// Secret holds a credential value. It never shows the value by accident: String,
// GoString, Format (every verb), MarshalJSON and MarshalText all give the
// redacted form. Only Reveal returns the raw value, so every place that prints a
// secret on purpose can be found by searching for Reveal.
type Secret struct {
	v string
}

// NewSecret wraps a raw credential value.
func NewSecret(raw string) Secret { return Secret{v: raw} }

// Reveal returns the raw value. Call it only to send the credential to its own
// provider, to hash it, or when the user asked for raw output (--show-secrets).
func (s Secret) Reveal() string { return s.v }

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.v == "" }

// Redacted returns the value with most of it hidden (see Redact).
func (s Secret) Redacted() string { return Redact(s.v) }

// String returns the redacted value.
func (s Secret) String() string { return s.Redacted() }

// GoString returns the redacted value, so %#v does not leak either.
func (s Secret) GoString() string { return fmt.Sprintf("finding.Secret(%q)", s.Redacted()) }

// Format prints the redacted value whatever the verb (%s, %v, %q, %x, ...).
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", s.Redacted())
		return
	}
	fmt.Fprint(f, s.Redacted())
}

// MarshalJSON encodes the redacted value.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.Redacted()) }

// MarshalText encodes the redacted value.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.Redacted()), nil }

// Redact hides a credential value for display. Values of 24 characters or more
// keep their first and last four characters (enough for an owner to recognise
// which key it is, far too little to use it); shorter values (passwords, short
// tokens) are hidden entirely, since four characters of a 14-character password
// is too much of it. The fingerprint is what identifies a credential.
func Redact(v string) string {
	n := utf8.RuneCountInString(v)
	if n < 24 {
		return "****"
	}
	r := []rune(v)
	return string(r[:4]) + "…" + string(r[n-4:])
}

// Printable returns text that comes from the scanned content (a path, an
// author, a label) fit to print: quoted, with escapes, when it holds control
// characters (ESC, newlines, bidi controls), so that it cannot forge report
// lines or drive a terminal; unchanged otherwise.
func Printable(s string) string {
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029' {
			return strconv.Quote(s)
		}
	}
	return s
}
