package detect

import (
	"bytes"
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

var (
	digestWords = []string{"sha", "md", "hash", "digest", "checksum", "integrity", "oid", "etag",
		"commit", "rev", "revision", "fingerprint", "blake", "webhook", "signing", "signature",
		"verify", "verification", "nonce", "salt", "asset", "v", "version", "build", "cache",
		"tree", "parent", "blob", "object", "merge", "index", "container", "containerd", "docker",
		"image", "layer", "sum", "hmac", "csrf", "xsrf"}
	keyWords   = []string{"key", "secret", "password", "pass", "pw", "token"}
	identWords = []string{"identifier", "ident", "id", "tokenid", "user", "username", "login", "access"}
	// idWords name an identity; a 64-hex value named only so is an object
	// id (a docker image or container), not a key.
	idWords = []string{"id", "uid", "uuid", "guid", "identifier"}
	// entityWords name records whose ids are UUIDs and never credentials.
	entityWords = []string{"request", "trace", "span", "correlation", "transaction", "event",
		"message", "conversation", "visitor", "operator", "customer", "order", "tenant", "org",
		"organization", "pod", "container", "node", "instance", "device", "installation", "job",
		"run", "deployment", "release", "migration", "record", "row", "item", "file", "build",
		"uid", "uuid", "guid", "object", "resource", "channel", "inbox", "ticket", "segment"}
	// credentialWords keep a UUID a possible token identifier whatever else
	// its name says.
	credentialWords = []string{"token", "key", "secret", "identifier", "ident", "auth", "credential",
		"credentials", "plugin", "username", "login", "access", "api", "password"}
)

// crispRole classifies a value by the name the context gives it.
func crispRole(data []byte, v crispValue) role {
	if v.kind == crispUUID && v.start >= 8 && bytes.HasSuffix(bytes.ToLower(data[v.start-8:v.start]), []byte("session_")) {
		return roleSession
	}
	if chatboxContext(data, v.start) {
		if v.kind == crispHex {
			return roleNotKey // the identity-verification signature $crisp.push takes
		}
		return roleChatbox
	}
	label, kind := labelBefore(data, v.start)
	if kind == labelArg {
		// a later positional argument takes the role of the call it is
		// passed to: Crisp.configure(context, websiteID, tokenID)
		label = enclosingCall(data, v.start)
	}
	ws := words(label)
	if len(ws) == 0 {
		return roleUnknown
	}
	if v.kind == crispHex {
		return hexRole(ws)
	}
	return uuidRole(ws)
}

func hexRole(ws []string) role {
	switch {
	case hasWord(ws, digestWords...):
		return roleNotKey
	case hasWord(ws, keyWords...):
		return roleKey
	case hasWord(ws, idWords...):
		return roleNotKey
	}
	return roleUnknown
}

func uuidRole(ws []string) role {
	secretish := hasWord(ws, "token", "key", "secret", "identifier", "ident", "password")
	switch {
	case hasWord(ws, "window"), hasWord(ws, "set") && hasWord(ws, "token") && hasWord(ws, "id") && !hasWord(ws, "key"):
		return roleChatbox // window.CRISP_TOKEN_ID, Crisp.setTokenId(...)
	case hasWord(ws, "website", "site", "workspace") && !secretish, hasWord(ws, "configure"):
		return roleWebsite
	case hasWord(ws, "session"):
		return roleSession
	case hasWord(ws, entityWords...) && !hasWord(ws, credentialWords...):
		return roleEntity
	case hasWord(ws, identWords...):
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
