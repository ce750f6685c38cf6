package cliflag

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// StringList is a repeatable string flag.
type StringList []string

// String joins the values with commas.
func (s *StringList) String() string { return strings.Join(*s, ",") }

// Set adds a value.
func (s *StringList) Set(v string) error { *s = append(*s, v); return nil }

// PositiveInt is a count flag, kept in N, that refuses zero and negative
// values; left unset it keeps its default (0 meaning "choose for me").
type PositiveInt struct{ N *int }

// String is the count.
func (p PositiveInt) String() string {
	if p.N == nil {
		return ""
	}
	return strconv.Itoa(*p.N)
}

// Set reads a whole number of at least 1.
func (p PositiveInt) Set(v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return fmt.Errorf("want a whole number of at least 1")
	}
	*p.N = n
	return nil
}

// Redact accepts gitleaks' --redact, --redact=true and --redact=N (a
// percentage) and keeps nothing: values are always redacted here.
// --redact=0 (or false) asks for none, which only --show-secrets gives, so
// it is refused.
type Redact struct{}

// String is empty: the flag has no value to show.
func (Redact) String() string { return "" }

// IsBoolFlag lets --redact stand alone.
func (Redact) IsBoolFlag() bool { return true }

// Set checks the value.
func (Redact) Set(v string) error {
	errNone := errors.New("values are always redacted; use --show-secrets to see them")
	if b, err := strconv.ParseBool(v); err == nil {
		if !b {
			return errNone
		}
		return nil
	}
	n, err := strconv.Atoi(strings.TrimSuffix(v, "%"))
	if err != nil || n < 0 || n > 100 {
		return fmt.Errorf("want a percentage from 1 to 100")
	}
	if n == 0 {
		return errNone
	}
	return nil
}

// Seconds is a duration flag that also takes a bare number of seconds, as
// gitleaks' --timeout does ("60" and "1m" are the same). Negative values are
// refused.
type Seconds struct{ D *time.Duration }

// String returns the duration.
func (s Seconds) String() string {
	if s.D == nil {
		return "0s"
	}
	return s.D.String()
}

// Set reads "60" (seconds) or "1m30s".
func (s Seconds) Set(v string) error {
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return fmt.Errorf("want a duration of zero or more")
		}
		*s.D = time.Duration(n) * time.Second
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return fmt.Errorf("want seconds (60) or a duration (10m)")
	}
	*s.D = d
	return nil
}
