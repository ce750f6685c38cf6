package detect

import (
	"bytes"
	"encoding/base64"
	"strings"
)

// encodedJWTPrefix is base64 of the header every Kustomer key starts with,
// {"alg":"HS256","typ":"JWT"} as base64url: a key stored base64-encoded once
// more (a Kubernetes Secret's data, an env var of a deploy script) starts so.
const encodedJWTPrefix = "ZXlKaGJHY2lPaUpJVXpJMU5pSXNJblI1Y0NJNklrcFhWQ0o5"

// encodedKustomer decodes the base64 value starting at pos, which begins
// with encodedJWTPrefix, and returns the key it holds and the value's end.
// The value may be padded, end in an encoded newline (echo | base64), be
// URL-safe, or be wrapped over lines of 64 or 76 characters.
func encodedKustomer(data []byte, pos int) (candidate, int, bool) {
	if pos > 0 && (isB64URLByte(data[pos-1]) || data[pos-1] == '+' || data[pos-1] == '/') ||
		!bytes.HasPrefix(data[pos:], []byte(encodedJWTPrefix)) {
		return candidate{}, 0, false
	}
	tok, end := joinedBase64(data, pos)
	raw, ok := decodeAnyBase64(tok)
	if !ok {
		return candidate{}, 0, false
	}
	jwt := strings.TrimRight(string(raw), "\r\n")
	if strings.Count(jwt, ".") != 2 {
		return candidate{}, 0, false
	}
	c, ok := kustomerCandidate(jwt)
	return c, end, ok
}

// joinedBase64 reads the base64 value at i, joining the lines of a value
// wrapped at 64 or 76 columns, and returns it and where it ends.
func joinedBase64(data []byte, i int) (string, int) {
	j := i
	for j < len(data) && isAnyB64Byte(data[j]) {
		j++
	}
	tok, end := joinWrapped(data, i, j, 8192, isAnyB64Byte)
	return string(tok), end
}

// isAnyB64Byte reports bytes of standard or URL-safe base64, padding included.
func isAnyB64Byte(b byte) bool { return b64Class[b] != 0 }

// decodeAnyBase64 decodes standard or URL-safe base64, padded or not.
func decodeAnyBase64(tok string) ([]byte, bool) {
	tok = strings.TrimRight(tok, "=")
	enc := base64.RawStdEncoding
	if strings.ContainsAny(tok, "-_") {
		enc = base64.RawURLEncoding
	}
	b, err := enc.DecodeString(tok)
	return b, err == nil
}
