package detect

import (
	"bytes"
	"strings"
)

// role is what the context says a value is.
type role int

const (
	roleUnknown    role = iota
	roleIdentifier      // named like a token identifier
	roleKey             // named like a key or secret
	roleWebsite         // a public website id
	roleSession         // a session id
	roleNotKey          // a digest, hash, webhook secret: never a token key
)

var (
	digestWords = []string{"sha", "sha1", "sha256", "sha512", "md5", "hash", "digest", "checksum",
		"integrity", "oid", "etag", "commit", "rev", "revision", "fingerprint", "blake2", "blake3",
		"webhook", "signing", "signature", "verify", "verification", "nonce", "salt", "asset",
		"v", "version", "build", "cache"}
	keyWords   = []string{"key", "secret", "password", "pass", "pw", "token"}
	identWords = []string{"identifier", "ident", "id", "tokenid", "user", "username", "login", "access"}
)

// crispRole classifies a value by the name the context gives it.
func crispRole(data []byte, v crispValue) role {
	if v.kind == crispUUID && v.start >= 8 && bytes.HasSuffix(bytes.ToLower(data[v.start-8:v.start]), []byte("session_")) {
		return roleSession
	}
	label, kind := labelBefore(data, v.start)
	ws := words(label)
	if kind == labelArg || len(ws) == 0 {
		return roleUnknown
	}
	if v.kind == crispHex {
		if hasWord(ws, digestWords...) {
			return roleNotKey
		}
		if hasWord(ws, keyWords...) {
			return roleKey
		}
		return roleUnknown
	}
	secretish := hasWord(ws, "token", "key", "secret", "identifier", "ident", "password")
	switch {
	case hasWord(ws, "website", "site", "workspace") && !secretish, hasWord(ws, "configure"):
		return roleWebsite
	case hasWord(ws, "session"):
		return roleSession
	case hasWord(ws, identWords...):
		return roleIdentifier
	}
	return roleUnknown
}

// checksumLine reports whether the value is the digest column of a checksum
// list line ("<hex>  file.tar.gz").
func checksumLine(s *scan, v crispValue) bool {
	ls, le := s.lineStart(v.start), s.lineEnd(v.start)
	before := bytes.TrimSpace(s.data[ls:v.start])
	after := bytes.TrimSpace(s.data[v.end:le])
	return len(before) == 0 && len(after) > 0 && !bytes.ContainsAny(after, " \t=:\"'")
}

var tierWords = []string{"plugin", "website", "user"}

// crispTier finds what the context says about the token's tier: an explicit
// tier setting near the pair (X-Crisp-Tier header, authenticateTier("plugin",
// set_tier, CRISP_TIER=...), else the names given to the identifier and key.
func crispTier(s *scan, start, end int, labels ...string) string {
	ws, we := s.window(start, end, 15, 3000)
	text := s.data[ws:we]
	best, bestDist := "", -1
	for off := 0; ; {
		i := indexFold(text[off:], "tier")
		if i < 0 {
			break
		}
		at := off + i + 4
		if t := tierValueAt(text[at:]); t != "" {
			d := abs(ws+at-start) + abs(ws+at-end)
			if bestDist < 0 || d < bestDist {
				best, bestDist = t, d
			}
		}
		off = at
	}
	if best != "" {
		return best
	}
	for _, l := range labels {
		ws := words(l)
		switch {
		case hasWord(ws, "plugin"):
			return "plugin"
		case hasWord(ws, "website") && hasWord(ws, "token", "key", "secret"):
			return "website"
		}
	}
	return ""
}

// tierValueAt reads a tier name after the word "tier": separators, at most
// one word such as "value" (HAR and Postman headers), then the tier.
func tierValueAt(b []byte) string {
	i, n := 0, min(len(b), 40)
	sawWord := false
	for i < n {
		switch {
		case !isAlnum(b[i]):
			i++
		case !sawWord && hasPrefixFold(b[i:], "value"):
			i += 5
			sawWord = true
		default:
			for _, t := range tierWords {
				if hasPrefixFold(b[i:], t) && (i+len(t) == len(b) || !isWordByte(b[i+len(t)])) {
					return t
				}
			}
			return ""
		}
	}
	return ""
}

func hasPrefixFold(b []byte, w string) bool {
	return len(b) >= len(w) && equalFoldASCII(b[:len(w)], w)
}

// indexFold is a case-insensitive bytes.Index for a lowercase ASCII word.
func indexFold(b []byte, w string) int {
	for i := 0; i+len(w) <= len(b); i++ {
		if lowerTable[b[i]] == w[0] && equalFoldASCII(b[i:i+len(w)], w) {
			return i
		}
	}
	return -1
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// crispWebsiteIDs lists the website ids in the chunk, nearest to pos first,
// leaving out the token's own identifier.
func crispWebsiteIDs(vals []crispValue, roles []role, pos int, ident string) []string {
	type cand struct {
		id   string
		dist int
	}
	var cs []cand
	seen := map[string]bool{strings.ToLower(ident): true}
	for i, v := range vals {
		if roles[i] != roleWebsite || seen[strings.ToLower(v.text)] {
			continue
		}
		seen[strings.ToLower(v.text)] = true
		cs = append(cs, cand{v.text, abs(v.start - pos)})
	}
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].dist < cs[j-1].dist; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
	out := make([]string, 0, min(len(cs), 5))
	for _, c := range cs[:min(len(cs), 5)] {
		out = append(out, c.id)
	}
	return out
}
