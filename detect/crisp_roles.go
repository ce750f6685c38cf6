package detect

import (
	"bytes"
	"strconv"
)

// role is what the context says a value is.
type role int

const (
	roleUnknown    role = iota
	roleIdentifier      // named like a token identifier
	roleKey             // named like a key or secret
	roleWebsite         // a public website id
	roleSession         // a session id
	roleChatbox         // a value of the browser chatbox: public by design
	roleEntity          // the id of a record (request, conversation, pod...)
	roleNotKey          // a digest, hash, webhook secret: never a token key
)

// excluded reports whether a value with this role never takes part in a
// token pair.
func (r role) excluded() bool {
	return r == roleWebsite || r == roleSession || r == roleChatbox || r == roleEntity || r == roleNotKey
}

// crispRole classifies a value by the name the context gives it, and says
// which name that was: a session_ prefix, the chatbox queue, the argument of
// a known call (rules/vocabulary/crisp.toml [calls]), the value's own label,
// else the name of the object or section that holds it.
func crispRole(s *scan, v crispValue, at placement) (role, string) {
	data := s.data
	if v.kind == crispUUID && v.start >= 8 && bytes.HasSuffix(bytes.ToLower(data[v.start-8:v.start]), []byte("session_")) {
		return roleSession, "session_ prefix"
	}
	if chatboxContext(data, v.start) {
		if v.kind == crispHex {
			return roleNotKey, "in $crisp chatbox call" // the identity-verification signature $crisp.push takes
		}
		return roleChatbox, "in $crisp chatbox call"
	}
	if r, why := callRole(v, at); r != roleUnknown {
		return r, why
	}
	label, kind := labelBefore(data, v.start)
	if kind == labelArg {
		// a later positional argument takes the role of the call it is
		// passed to: Crisp.configure(context, websiteID, tokenID)
		label = enclosingCall(data, v.start)
	}
	if r := nameRole(v.kind, words(label)); r != roleUnknown {
		return r, "label " + quoteName(label)
	}
	for _, col := range []string{columnName(s, v.start, at), sqlColumnName(s.data, v.start)} {
		if r := nameRole(v.kind, words(col)); r != roleUnknown {
			return r, "column " + quoteName(col)
		}
	}
	return holderRole(v, at)
}

// callRole is the role the vocabulary gives the value's argument position
// in a known call: authenticateTier(tier, identifier, key).
func callRole(v crispValue, at placement) (role, string) {
	c, ok := at.of(structCall)
	if !ok || at.arg < 0 {
		return roleUnknown, ""
	}
	why := "argument " + strconv.Itoa(at.arg+1) + " of " + c.name
	switch callArgRole(c.name, at.arg) {
	case "identifier":
		if v.kind == crispUUID {
			return roleIdentifier, why
		}
	case "key":
		if v.kind == crispHex {
			return roleKey, why
		}
	}
	return roleUnknown, ""
}

// holderRole reads the names of the object and section holding a value that
// has no name of its own, for what they exclude: {"hashes": [{"content": h}]}
// holds a digest, a "requests" section holds request ids.
func holderRole(v crispValue, at placement) (role, string) {
	for _, k := range []structKind{structObject, structSection} {
		h, ok := at.of(k)
		if !ok || h.name == "" {
			continue
		}
		if r := nameRole(v.kind, words(h.name)); r.excluded() {
			return r, k.String() + " " + quoteName(h.name)
		}
	}
	return roleUnknown, ""
}

func quoteName(s string) string { return strconv.Quote(s) }

// nameRole reads what the words of a name say a value of the kind is.
func nameRole(kind crispKind, ws []string) role {
	if len(ws) == 0 {
		return roleUnknown
	}
	if kind == crispHex {
		return hexRole(ws)
	}
	return uuidRole(ws)
}

func hexRole(ws []string) role {
	switch {
	case vocab().digest.any(ws):
		return roleNotKey
	case vocab().key.any(ws):
		return roleKey
	case vocab().objectID.any(ws):
		return roleNotKey
	}
	return roleUnknown
}

func uuidRole(ws []string) role {
	secretish := vocab().secretish.any(ws)
	switch {
	case hasWord(ws, "window"), hasWord(ws, "set") && hasWord(ws, "token") && hasWord(ws, "id") && !hasWord(ws, "key"):
		return roleChatbox // window.CRISP_TOKEN_ID, Crisp.setTokenId(...)
	case vocab().website.any(ws) && !secretish, hasWord(ws, "configure"):
		return roleWebsite
	case hasWord(ws, "session"):
		return roleSession
	case vocab().entity.any(ws) && !vocab().credential.any(ws):
		return roleEntity
	case vocab().ident.any(ws):
		return roleIdentifier
	}
	return roleUnknown
}

// chatboxContext reports whether the value is an argument of the browser
// chatbox's command queue ($crisp.push([...]) or $crisp.set), whose values
// are public by design.
func chatboxContext(data []byte, pos int) bool {
	ls := bytes.LastIndexByte(data[max(0, pos-300):pos], '\n') + 1 + max(0, pos-300)
	return bytes.Contains(data[ls:pos], []byte("$crisp."))
}

// checksumLine reports whether the value is the digest column of a checksum
// list ("<hex>  file.tar.gz", "<hex> *file") or of a history listing ("<hex>
// commit subject"): a hex value that starts its line and is followed by
// something that is not a value.
func checksumLine(s *scan, v crispValue) bool {
	ls, le := s.lineStart(v.start), s.lineEnd(v.start)
	before := bytes.TrimSpace(s.data[ls:v.start])
	after := bytes.TrimSpace(s.data[v.end:le])
	if len(after) == 0 {
		return false
	}
	if len(before) == 0 && !bytes.ContainsAny(after[:1], "=:\"',;|)]}") {
		return true
	}
	// sha256sum's format anywhere on a line: echo "<hex>  file" | sha256sum -c
	rest := s.data[v.end:le]
	return len(rest) > 2 && (rest[0] == ' ' && (rest[1] == ' ' || rest[1] == '*')) &&
		(isWordByte(rest[2]) || rest[2] == '.')
}

// enclosingCall returns the name of the call whose argument list holds pos,
// on the same line: the word before the nearest unclosed '('.
func enclosingCall(data []byte, pos int) string {
	stop := max(0, pos-labelReach*2)
	depth := 0
	for i := pos - 1; i >= stop && data[i] != '\n'; i-- {
		switch data[i] {
		case ')', ']', '}':
			depth++
		case '(', '[', '{':
			if depth > 0 {
				depth--
				continue
			}
			if data[i] != '(' {
				return ""
			}
			name, _ := wordBefore(data, i-1, stop)
			return name
		}
	}
	return ""
}
