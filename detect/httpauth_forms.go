package detect

import (
	"strings"

	"github.com/scanner-dev/scanner/finding"
)

// This file reads the other forms an HTTP credential is written in: a
// scheme word and its token in two concatenated string literals, Postman's
// auth blocks, curl's --oauth2-bearer flag, and a pre-encoded Basic value
// stored under a name that says so (BASIC_AUTH=..., basicAuthHeader: ...).

// skipConcat moves from i (just after the scheme word and its spaces) over a
// string concatenation to the next literal: `" + "`, `' . '`, `" .. "`.
// It returns i unchanged when there is none.
func skipConcat(data []byte, i int) int {
	if i >= len(data) || strings.IndexByte("\"'`", data[i]) < 0 {
		return i
	}
	j := skipBlanks(data, i+1)
	ops := 0
	for j < len(data) && (data[j] == '+' || data[j] == '.') && ops < 2 {
		j++
		ops++
	}
	if ops == 0 {
		return i
	}
	j = skipBlanks(data, j)
	if j >= len(data) || strings.IndexByte("\"'`", data[j]) < 0 {
		return i
	}
	return j + 1
}

func skipBlanks(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t') {
		i++
	}
	return i
}

// curlBearerFlag reports whether the scheme word at pos is the end of curl's
// --oauth2-bearer option.
func curlBearerFlag(data []byte, pos int) bool {
	return pos >= 9 && string(data[pos-9:pos]) == "--oauth2-"
}

// postmanEntry matches one {"key": K, "value": V} entry of a Postman auth
// block.
var postmanEntry = lazyRegexp(`"key"\s*:\s*"(\w+)"\s*,\s*"value"\s*:\s*"((?:[^"\\]|\\.){1,512})"`)

// postmanAuth reads the Postman auth block whose scheme word ("basic",
// "bearer") is quoted at pos: "basic": [{"key": "username", "value": ...},
// ...]. It returns the entries by key and the block's span.
func postmanAuth(data []byte, pos, n int) (map[string]string, int, int, bool) {
	if pos == 0 || data[pos-1] != '"' || pos+n >= len(data) || data[pos+n] != '"' {
		return nil, 0, 0, false
	}
	i := skipSpace(data, pos+n+1)
	if i >= len(data) || data[i] != ':' {
		return nil, 0, 0, false
	}
	i = skipSpace(data, i+1)
	if i >= len(data) || data[i] != '[' {
		return nil, 0, 0, false
	}
	end := i + 1
	for end < len(data) && end < i+2000 && data[end] != ']' {
		end++
	}
	if end >= len(data) || data[end] != ']' {
		return nil, 0, 0, false
	}
	entries := map[string]string{}
	for _, m := range postmanEntry().FindAllSubmatch(data[i:end], -1) {
		entries[strings.ToLower(string(m[1]))] = string(m[2])
	}
	return entries, i, end + 1, len(entries) > 0
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// postmanBasic returns the user and password of a Postman basic auth block.
func postmanBasic(data []byte, pos int) (candidate, bool) {
	e, start, end, ok := postmanAuth(data, pos, len("basic"))
	user, pass := e["username"], e["password"]
	if !ok || len(pass) < 6 || envReference(pass) || envReference(user) {
		return candidate{}, false
	}
	return candidate{
		parts: []finding.Part{
			{Name: "user", Value: finding.NewSecret(user)},
			{Name: "password", Value: finding.NewSecret(pass)},
		},
		start: start, end: end,
	}, true
}

// basicNameWords are the words that, with "basic", name a variable holding a
// pre-encoded Basic credential.
var basicNameWords = []string{"auth", "authorization", "credential", "credentials", "creds", "header", "token", "b64", "base64"}

// namedBasicValue finds a pre-encoded Basic value stored under a name that
// holds the keyword at pos, such as HTTP_BASIC_AUTH=<base64> or
// "basicAuthHeader": "<base64>". It returns the value's span.
func namedBasicValue(data []byte, pos int) (int, int, bool) {
	s := pos
	for s > 0 && (isWordByte(data[s-1]) || data[s-1] == '.' || data[s-1] == '-') {
		s--
	}
	e := pos
	for e < len(data) && (isWordByte(data[e]) || data[e] == '.' || data[e] == '-') {
		e++
	}
	if ws := words(string(data[s:e])); !hasWord(ws, "basic") || !hasWord(ws, basicNameWords...) {
		return 0, 0, false
	}
	i := assignedValue(data, e)
	if i == e {
		return 0, 0, false
	}
	j := i
	for j < len(data) && isB64Byte(data[j]) {
		j++
	}
	for k := 0; k < 2 && j < len(data) && data[j] == '='; k++ {
		j++
	}
	if j-i < 12 || j < len(data) && (isB64URLByte(data[j]) || data[j] == '.') {
		return 0, 0, false
	}
	return i, j, true
}

// assignedValue moves from the end of a name over an assignment (quotes,
// blanks, one '=' or ':') to the value, or returns e if there is none.
func assignedValue(data []byte, e int) int {
	i, seps := e, 0
	for i < len(data) && i < e+8 {
		switch c := data[i]; {
		case c == '=' || c == ':':
			seps++
			i++
		case c == '"' || c == '\'' || c == ' ' || c == '\t':
			i++
		default:
			if seps != 1 {
				return e
			}
			return i
		}
	}
	return e
}
