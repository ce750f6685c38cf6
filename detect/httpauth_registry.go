package detect

import (
	"bytes"
	"strings"

	"github.com/scanner-dev/scanner/finding"
)

// This file reads the places package managers and tools keep HTTP
// credentials: .npmrc's _auth (base64 user:password) and _authToken (a
// bearer token), Yarn's npmAuthIdent and npmAuthToken, Docker's config.json
// "auths": {"<registry>": {"auth": "<base64 user:password>"}}, and .netrc's
// "machine <host> login <user> password <password>" entries.

// authWordAt reports whether data[pos:] starts with the lowercase word w,
// ignoring case.
func authWordAt(data []byte, pos int, w string) bool {
	return pos+len(w) <= len(data) && equalFoldASCII(data[pos:pos+len(w)], w)
}

// authWordEnds reports whether the word of length n at pos ends there.
func authWordEnds(data []byte, pos, n int) bool {
	return pos+n >= len(data) || !isWordByte(data[pos+n])
}

// registryBasic reads a base64 or plain user:password credential at a
// registry keyword hit: _auth=, npmAuthIdent:, "auth": "..." or a .netrc
// machine entry.
func registryBasic(data []byte, h int) (candidate, bool) {
	switch {
	case authWordAt(data, h, "_auth") && authWordEnds(data, h, len("_auth")):
		return assignedBasic(data, h+len("_auth"), false)
	case authWordAt(data, h, "npmauthident") && authWordEnds(data, h, len("npmauthident")):
		return assignedBasic(data, h+len("npmauthident"), true)
	case authWordAt(data, h, `auth"`) && h > 0 && data[h-1] == '"':
		return assignedBasic(data, h+len(`auth"`), false)
	case authWordAt(data, h, "machine"):
		return netrcEntry(data, h)
	case authWordAt(data, h, "_password") && authWordEnds(data, h, len("_password")):
		return npmPassword(data, h)
	case authWordAt(data, h, "<server>"):
		return mavenServer(data, h)
	}
	return candidate{}, false
}

// assignedBasic reads the value assigned after a name ending at e: base64 of
// user:password, or, when plain is set, user:password itself.
func assignedBasic(data []byte, e int, plain bool) (candidate, bool) {
	i := assignedValue(data, e)
	if i == e {
		return candidate{}, false
	}
	j := i
	for j < len(data) && isB64Byte(data[j]) {
		j++
	}
	for k := 0; k < 2 && j < len(data) && data[j] == '='; k++ {
		j++
	}
	if j-i >= 12 && (j == len(data) || !isB64URLByte(data[j]) && data[j] != '.' && data[j] != ':') {
		if user, pass, ok := decodeBasic(string(data[i:j])); ok {
			return userPassword(user, pass, i, j), true
		}
	}
	if !plain {
		return candidate{}, false
	}
	j = i
	for j < len(data) && data[j] > ' ' && data[j] != '"' && data[j] != '\'' {
		j++
	}
	user, pass, ok := strings.Cut(string(data[i:j]), ":")
	if !ok || user == "" || !plausiblePassword(pass) || envReference(user) {
		return candidate{}, false
	}
	return userPassword(user, pass, i, j), true
}

func userPassword(user, pass string, start, end int) candidate {
	return candidate{
		parts: []finding.Part{
			{Name: "user", Value: finding.NewSecret(user)},
			{Name: "password", Value: finding.NewSecret(pass)},
		},
		start: start, end: end,
	}
}

// plausiblePassword rejects what is no stored password: a reference to a
// variable or a format verb, an <angle placeholder>, a short or repeated
// value, and words without digits (docs and tests write "letmein",
// "qwerty", "string"; passwords kept in files for machines are generated).
func plausiblePassword(p string) bool {
	if len(p) < 8 || envReference(p) || strings.ContainsAny(p, "$%<>") || repetitive(p, 3) {
		return false
	}
	return hasDigitAndLetter(p) && entropy(p) >= 2.5
}

// netrcKeys are the words of a .netrc entry that take a value.
var netrcKeys = map[string]bool{"login": true, "password": true, "account": true, "port": true}

// netrcEntry reads the .netrc entry whose "machine" keyword is at pos: its
// host, then login and password in any order, on one line or several. An
// entry with no login or no plausible password is none. A GitHub token given
// as the login with the password x-oauth-basic is a credential too.
func netrcEntry(data []byte, pos int) (candidate, bool) {
	if pos > 0 && !isNetrcSpace(data[pos-1]) && data[pos-1] != '"' && data[pos-1] != '\'' {
		return candidate{}, false
	}
	toks := netrcTokens(data, pos+len("machine"), 8)
	if len(toks) < 5 || !isNetrcSpace(data[pos+len("machine")]) {
		return candidate{}, false
	}
	vals := map[string]netrcSpan{}
	for k := 1; k+1 < len(toks); k += 2 {
		key := strings.ToLower(string(data[toks[k].s:toks[k].e]))
		if !netrcKeys[key] {
			break
		}
		vals[key] = toks[k+1]
	}
	l, okL := vals["login"]
	p, okP := vals["password"]
	if !okL || !okP {
		return candidate{}, false
	}
	user, pass := string(data[l.s:l.e]), string(data[p.s:p.e])
	if pass == "x-oauth-basic" && !netrcLoginToken(user) || pass != "x-oauth-basic" && !plausiblePassword(pass) ||
		envReference(user) || strings.ContainsAny(user, "$%<>") {
		return candidate{}, false
	}
	return userPassword(user, pass, min(l.s, p.s), max(l.e, p.e)), true
}

// netrcLoginToken reports whether s looks like a random token.
func netrcLoginToken(s string) bool {
	return len(s) >= 20 && hasDigitAndLetter(s) && entropy(s) >= 3.5 && !envReference(s)
}

type netrcSpan struct{ s, e int }

func isNetrcSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// netrcTokens returns up to n blank-separated tokens from i, within 512
// bytes; a token loses the quotes around it (echo "machine ... password p"
// ends with the echo's quote).
func netrcTokens(data []byte, i, n int) []netrcSpan {
	var out []netrcSpan
	stop := min(len(data), i+512)
	for len(out) < n {
		for i < stop && isNetrcSpace(data[i]) {
			i++
		}
		j := i
		for j < stop && !isNetrcSpace(data[j]) {
			j++
		}
		if j == i || j == stop && stop < len(data) {
			return out
		}
		s, e := i, j
		for s < e && (data[s] == '"' || data[s] == '\'') {
			s++
		}
		for e > s && bytes.IndexByte([]byte(`"';`), data[e-1]) >= 0 {
			e--
		}
		out = append(out, netrcSpan{s, e})
		i = j
	}
	return out
}

// registryBearer reads the token of .npmrc's _authToken= or Yarn's
// npmAuthToken: at the keyword hit h.
func (e bearerEngine) registryBearer(data []byte, h int) (candidate, bool, bool) {
	var n int
	switch {
	case authWordAt(data, h, "_authtoken") && authWordEnds(data, h, len("_authtoken")):
		n = len("_authtoken")
	case authWordAt(data, h, "npmauthtoken") && authWordEnds(data, h, len("npmauthtoken")):
		n = len("npmauthtoken")
	default:
		return candidate{}, false, false
	}
	i := assignedValue(data, h+n)
	j := i
	for j < len(data) && isBearerByte(data[j]) {
		j++
	}
	tok := string(data[i:j])
	if i == h+n || j < len(data) && (data[j] == '$' || data[j] == '{') || !e.plausible(tok) && !npmLegacyToken(tok) {
		return candidate{}, false, true
	}
	return candidate{
		parts: []finding.Part{{Name: "token", Value: finding.NewSecret(tok)}},
		start: i, end: j,
	}, true, true
}

// appendNewSpan appends c unless a candidate with the same netrcSpan is there: two
// keywords of one rule (HTTP_BASIC_AUTH=... holds "basic" and "_auth") find
// the same value.
func appendNewSpan(out []candidate, c candidate) []candidate {
	for _, o := range out {
		if o.start == c.start && o.end == c.end {
			return out
		}
	}
	return append(out, c)
}

// npmLegacyToken reports whether tok is an npm token of the old kind: a
// UUID, whose 32 hex digits sit just under the bearer entropy floor. All-zero
// and other low-variety UUIDs are placeholders.
func npmLegacyToken(tok string) bool {
	if len(tok) != 36 {
		return false
	}
	for i := 0; i < len(tok); i++ {
		if dash := i == 8 || i == 13 || i == 18 || i == 23; dash != (tok[i] == '-') || !dash && !isHexByte(tok[i]) {
			return false
		}
	}
	return distinct(tok) >= 9
}
