package detect

import (
	"encoding/base64"
	"strings"
)

// crispValue is a UUID or a 64-hex value found in a chunk, written plainly or
// base64-encoded; or a whole "uuid:hex" pair decoded from base64.
type crispValue struct {
	kind       crispKind
	start, end int    // the literal in the data (the base64 token if encoded)
	text       string // the value itself (decoded)
	key        string // for crispPair: the key; text is the identifier
	encoded    bool
}

type crispKind int

const (
	crispUUID crispKind = iota
	crispHex
	crispPair
)

// crispValues finds every UUID and 64-hex value in data, plain or base64.
func crispValues(data []byte) []crispValue {
	vals, _ := crispValuesAndRuns(data)
	return vals
}

// crispValuesAndRuns is crispValues that also returns where the base64 runs
// long enough to hold a whole encoded file start (see nested).
func crispValuesAndRuns(data []byte) ([]crispValue, []int) {
	vals := plainCrispValues(data)
	enc, long := encodedCrispValues(data)
	return append(vals, enc...), long
}

// plainCrispValues finds UUIDs and 64-hex runs that stand alone (not part of
// a longer word).
func plainCrispValues(data []byte) []crispValue {
	var out []crispValue
	for i := 0; i < len(data); {
		if !isHexByte(data[i]) || i > 0 && isWordByte(data[i-1]) && !escapedBoundary(data, i) {
			i++
			continue
		}
		if percentEscape(data, i) {
			i += 2 // "%3A", "%3D": the escape's digits are not the value's
		}
		j := i
		for j < len(data) && isHexByte(data[j]) {
			j++
		}
		switch n := j - i; {
		case n == 64 && (j == len(data) || !isWordByte(data[j])):
			out = append(out, crispValue{kind: crispHex, start: i, end: j, text: strings.ToLower(string(data[i:j]))})
		case n == 8 && j < len(data) && data[j] == '-':
			if isUUIDAt(data, i) {
				out = append(out, crispValue{kind: crispUUID, start: i, end: i + 36, text: strings.ToLower(string(data[i : i+36]))})
				j = i + 36
			}
		}
		i = j
	}
	return out
}

// escapedBoundary reports whether the word byte before i ends an escape
// sequence ("\n", "\t", "\r" in JSON strings and notebooks), so that a value
// may start right after it.
func escapedBoundary(data []byte, i int) bool {
	return i >= 2 && data[i-2] == '\\' && strings.IndexByte("ntr", data[i-1]) >= 0
}

// percentEscape reports whether a URL escape "%XX" starts one byte before i
// and a value follows it.
func percentEscape(data []byte, i int) bool {
	return i > 0 && data[i-1] == '%' && i+2 < len(data) && isHexByte(data[i]) && isHexByte(data[i+1])
}

// isUUIDAt reports whether a standalone UUID (8-4-4-4-12 hex) starts at i.
func isUUIDAt(data []byte, i int) bool {
	if i+36 > len(data) {
		return false
	}
	for k := 0; k < 36; k++ {
		c := data[i+k]
		switch k {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isHexByte(c) {
				return false
			}
		}
	}
	return i+36 == len(data) || !isWordByte(data[i+36]) && data[i+36] != '-'
}

func isUUID(s string) bool { return len(s) == 36 && isUUIDAt([]byte(s), 0) }

func isHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isHexByte(s[i]) {
			return false
		}
	}
	return true
}

// encodedCrispValues finds base64 tokens that decode to a UUID, a 64-hex key
// or a whole "uuid:key" pair (a Basic credential, or a Kubernetes Secret's
// separately encoded values). A trailing newline in the decoded text, as
// `echo ... | base64` leaves, is ignored.
func encodedCrispValues(data []byte) ([]crispValue, []int) {
	var out []crispValue
	var long []int
	for i := 0; i < len(data); {
		if !isB64Byte(data[i]) || i > 0 && (isB64Byte(data[i-1]) || data[i-1] == '-') {
			i++
			continue
		}
		j := i
		for j < len(data) && isB64Byte(data[j]) {
			j++
		}
		for k := 0; k < 2 && j < len(data) && data[j] == '='; k++ {
			j++
		}
		n := j - i
		if n >= nestedMin || n == 64 || n == 76 {
			long = append(long, i)
		}
		if n >= 44 && n <= 56 || n >= 84 && n <= 92 || n >= 132 && n <= 140 {
			if v, ok := decodeCrispValue(string(data[i:j])); ok {
				v.start, v.end = i, j
				out = append(out, v)
			}
		} else if tok, end, ok := wrappedBase64(data, i, j); ok {
			if v, ok := decodeCrispValue(tok); ok {
				v.start, v.end = i, end
				out = append(out, v)
				j = end
			}
		}
		i = j
	}
	return out, long
}

// wrappedBase64 joins a base64 value cut into lines of 64 or 76 characters
// (openssl, the base64 command) whose first line is data[i:j], as long as a
// Basic id:key value (132 to 140 characters). It returns the joined value and
// where its last line ends.
func wrappedBase64(data []byte, i, j int) (string, int, bool) {
	if w := j - i; w != 64 && w != 76 {
		return "", 0, false // most runs: no copy
	}
	tok, end := joinWrapped(data, i, j, 140, func(b byte) bool { return isB64Byte(b) || b == '=' })
	if n := len(tok); n < 132 || n > 140 {
		return "", 0, false
	}
	return string(tok), end, true
}

// joinWrapped returns data[i:j] joined with the lines that continue it when
// it is one line of a value wrapped at 64 or 76 columns: each full line goes
// on after a newline and any indentation, until a shorter line or limit
// bytes. in says which bytes a value holds. end is where the last line ends.
func joinWrapped(data []byte, i, j, limit int, in func(byte) bool) (tok []byte, end int) {
	width := j - i
	if width != 64 && width != 76 {
		return data[i:j:j], j
	}
	tok, end = append([]byte(nil), data[i:j]...), j
	for len(tok) < limit {
		k := end
		if k < len(data) && data[k] == '\r' {
			k++
		}
		if k >= len(data) || data[k] != '\n' {
			break
		}
		k++
		for k < len(data) && (data[k] == ' ' || data[k] == '\t') {
			k++
		}
		m := k
		for m < len(data) && in(data[m]) {
			m++
		}
		if m == k {
			break
		}
		tok, end = append(tok, data[k:m]...), m
		if m-k != width {
			break // a shorter line ends the value
		}
	}
	return tok, end
}

func decodeCrispValue(tok string) (crispValue, bool) {
	b, err := base64.StdEncoding.DecodeString(tok)
	if err != nil {
		if b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(tok, "=")); err != nil {
			return crispValue{}, false
		}
	}
	s := strings.ToLower(strings.TrimRight(string(b), "\r\n"))
	switch {
	case isUUID(s):
		return crispValue{kind: crispUUID, text: s, encoded: true}, true
	case isHex64(s):
		return crispValue{kind: crispHex, text: s, encoded: true}, true
	case len(s) == 101 && s[36] == ':' && isUUID(s[:36]) && isHex64(s[37:]):
		return crispValue{kind: crispPair, text: s[:36], key: s[37:], encoded: true}, true
	}
	return crispValue{}, false
}

// placeholderUUID reports values that are UUID-shaped but plainly not real:
// too few distinct digits, sequences, repetition.
func placeholderUUID(u string) bool {
	h := strings.ReplaceAll(strings.ToLower(u), "-", "")
	return distinct(h) < 6 || sequential(h, 6) || repetitive(h, 8) || mixedCase(u)
}

// placeholderKey reports 64-hex values that cannot be random keys.
func placeholderKey(k string) bool {
	return distinct(k) < 10 || entropy(k) < 3.0 || sequential(k, 8) || repetitive(k, 32) ||
		mixedCase(k) || !hasDigitAndLetter(k)
}
