package detect

import (
	"bytes"
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"github.com/scanner-dev/scanner/finding"
)

// contextBytes is how far before "Basic" or "Bearer" the word Authorization
// may stand (a HAR or Postman entry puts "name": "Authorization" just before
// "value": "Basic ...").
const contextBytes = 160

// authTokenAfter returns the span of the credential that follows the scheme
// word at pos (of length n): one or more spaces, then a run of bytes for
// which ok holds, at least minLen long.
func authTokenAfter(data []byte, pos, n int, ok func(byte) bool, minLen int) (int, int, bool) {
	if pos > 0 && isAlnum(data[pos-1]) {
		return 0, 0, false
	}
	i := pos + n
	sp := i
	for i < len(data) && (data[i] == ' ' || data[i] == '\t') {
		i++
	}
	if i == sp {
		return 0, 0, false
	}
	i = skipConcat(data, i)
	j := i
	for j < len(data) && ok(data[j]) {
		j++
	}
	if j-i < minLen {
		return 0, 0, false
	}
	return i, j, true
}

// authorizationBefore reports whether "authoriz" (authorization, authorisation,
// authorize) stands shortly before pos, or the scheme opens a string literal.
func authorizationBefore(data []byte, pos int) bool {
	if pos > 0 && strings.IndexByte("\"'`", data[pos-1]) >= 0 {
		return true
	}
	return indexFold(data[max(0, pos-contextBytes):pos], "authori") >= 0
}

// basicEngine finds Authorization: Basic credentials whose value decodes to
// user:password.
type basicEngine struct{}

func (basicEngine) find(s *scan, hits []int) []candidate {
	var out []candidate
	for _, h := range hits {
		if !authWordAt(s.data, h, "basic") {
			if c, ok := registryBasic(s.data, h); ok {
				out = appendNewSpan(out, c)
			}
			for _, c := range composerBasic(s.data, h) {
				out = appendNewSpan(out, c)
			}
			continue
		}
		if c, ok := postmanBasic(s.data, h); ok {
			out = appendNewSpan(out, c)
			continue
		}
		i, j, ok := basicHeaderValue(s.data, h)
		if !ok {
			if i, j, ok = namedBasicValue(s.data, h); !ok {
				continue
			}
		}
		user, pass, ok := decodeBasic(string(s.data[i:j]))
		if !ok {
			continue
		}
		out = appendNewSpan(out, userPassword(user, pass, i, j))
	}
	return out
}

// basicHeaderValue returns the span of the base64 credential after the word
// Basic at pos, in an Authorization header.
func basicHeaderValue(data []byte, pos int) (int, int, bool) {
	i, j, ok := authTokenAfter(data, pos, len("basic"), isB64Byte, 8)
	if !ok || !authorizationBefore(data, pos) {
		return 0, 0, false
	}
	for k := 0; k < 2 && j < len(data) && data[j] == '='; k++ {
		j++
	}
	if j < len(data) && (isB64URLByte(data[j]) || data[j] == '.') {
		return 0, 0, false
	}
	return i, j, true
}

// decodeBasic decodes a Basic credential to a plausible user and password:
// printable UTF-8, a colon, a password of at least six characters.
func decodeBasic(tok string) (string, string, bool) {
	b, err := base64.StdEncoding.DecodeString(tok)
	if err != nil {
		if b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(tok, "=")); err != nil {
			return "", "", false
		}
	}
	b = bytes.TrimRight(b, "\r\n")
	if !utf8.Valid(b) || bytes.ContainsFunc(b, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", "", false
	}
	user, pass, ok := strings.Cut(string(b), ":")
	if !ok || len(pass) < 6 || len(user) > 256 || envReference(string(b)) {
		return "", "", false
	}
	return user, pass, true
}

// bearerEngine finds Authorization: Bearer tokens with enough entropy.
type bearerEngine struct{ minEntropy float64 }

func isBearerByte(b byte) bool {
	return isAlnum(b) || strings.IndexByte("-._~+/=", b) >= 0
}

func (e bearerEngine) find(s *scan, hits []int) []candidate {
	var out []candidate
	for _, h := range hits {
		if c, ok, mine := e.registryBearer(s.data, h); mine {
			if ok {
				out = appendNewSpan(out, c)
			}
			continue
		}
		if c, ok := e.postman(s.data, h); ok {
			out = append(out, c)
			continue
		}
		i, j, ok := authTokenAfter(s.data, h, len("bearer"), isBearerByte, 20)
		if !ok || !authorizationBefore(s.data, h) && !curlBearerFlag(s.data, h) {
			continue
		}
		for j > i && s.data[j-1] == '.' { // a sentence's full stop
			j--
		}
		tok := string(s.data[i:j])
		if j < len(s.data) && (s.data[j] == '$' || s.data[j] == '{') || !e.plausible(tok) {
			continue
		}
		out = append(out, candidate{
			parts: []finding.Part{{Name: "token", Value: finding.NewSecret(tok)}},
			start: i, end: j,
		})
	}
	return out
}

// plausible rejects what is not a random token: too short, too regular,
// no digits or no letters, an environment reference, a CONSTANT_NAME.
func (e bearerEngine) plausible(tok string) bool {
	if len(tok) < 20 || !hasDigitAndLetter(tok) || envReference(tok) ||
		entropy(tok) < e.minEntropy || sequential(tok, 6) || repetitive(tok, 8) {
		return false
	}
	return strings.ToUpper(tok) != tok || !strings.Contains(tok, "_")
}

// postman reads the token of a Postman bearer auth block.
func (e bearerEngine) postman(data []byte, pos int) (candidate, bool) {
	entries, start, end, ok := postmanAuth(data, pos, len("bearer"))
	tok := entries["token"]
	if !ok || !e.plausible(tok) {
		return candidate{}, false
	}
	return candidate{
		parts: []finding.Part{{Name: "token", Value: finding.NewSecret(tok)}},
		start: start, end: end,
	}, true
}
