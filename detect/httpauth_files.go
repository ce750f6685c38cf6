package detect

import (
	"bytes"
	"encoding/base64"
	"strings"
)

// This file reads user and password pairs that package tools keep in their
// own files: .npmrc's username= with _password= (base64 of the password),
// Composer's auth.json "http-basic" entries and Maven's settings.xml
// <server> entries.

// npmPassword reads .npmrc's _password= (base64 of the password) at h and
// the username= of the same registry scope ("//host/:" or none) in the data
// around it.
func npmPassword(data []byte, h int) (candidate, bool) {
	e := h + len("_password")
	i := assignedValue(data, e)
	if i == e {
		return candidate{}, false
	}
	j := i
	for j < len(data) && (isB64Byte(data[j]) || data[j] == '=') {
		j++
	}
	pw, err := base64.StdEncoding.DecodeString(string(data[i:j]))
	if err != nil || !plausiblePassword(string(pw)) {
		return candidate{}, false
	}
	ls := bytes.LastIndexByte(data[:h], '\n') + 1
	user, ok := npmUsername(data, string(data[ls:h]), max(0, ls-2048), min(len(data), j+2048))
	if !ok {
		return candidate{}, false
	}
	return userPassword(user, string(pw), i, j), true
}

// npmUsername returns the value of "<scope>username=" between from and to.
func npmUsername(data []byte, scope string, from, to int) (string, bool) {
	key := []byte(scope + "username")
	for off := from; off < to; {
		k := bytes.Index(data[off:to], key)
		if k < 0 {
			return "", false
		}
		at := off + k
		off = at + len(key)
		if at > 0 && data[at-1] != '\n' {
			continue
		}
		v := assignedValue(data, off)
		if v == off {
			continue
		}
		w := v
		for w < len(data) && data[w] > ' ' && data[w] != '"' {
			w++
		}
		if user := string(data[v:w]); user != "" && !envReference(user) && !strings.Contains(user, "$") {
			return user, true
		}
	}
	return "", false
}

// composerEntry matches one host's credentials in Composer's http-basic.
var composerEntry = lazyRegexp(`"username"\s*:\s*"([^"\\]{1,256})"\s*,\s*"password"\s*:\s*"([^"\\]{1,512})"|"password"\s*:\s*"([^"\\]{1,512})"\s*,\s*"username"\s*:\s*"([^"\\]{1,256})"`)

// composerBasic reads the entries of Composer's "http-basic" object whose
// quoted name is at h.
func composerBasic(data []byte, h int) []candidate {
	if h == 0 || data[h-1] != '"' || !authWordAt(data, h, `http-basic"`) {
		return nil
	}
	open := bytes.IndexByte(data[h:min(len(data), h+40)], '{')
	if open < 0 {
		return nil
	}
	start := h + open
	end := matchingBrace(data, start, 4096)
	seg := data[start:end]
	var out []candidate
	for _, m := range composerEntry().FindAllSubmatchIndex(seg, -1) {
		ui, pi := 2, 4 // username first
		if m[2] < 0 {
			ui, pi = 8, 6 // password first
		}
		user, pass := string(seg[m[ui]:m[ui+1]]), string(seg[m[pi]:m[pi+1]])
		if !plausiblePassword(pass) || envReference(user) {
			continue
		}
		out = append(out, userPassword(user, pass, start+m[0], start+m[1]))
	}
	return out
}

// matchingBrace returns the offset just after the '}' that closes the '{'
// at start, looking at most limit bytes ahead (the end of that window if it
// is not found).
func matchingBrace(data []byte, start, limit int) int {
	depth, inStr := 0, false
	stop := min(len(data), start+limit)
	for i := start; i < stop; i++ {
		switch c := data[i]; {
		case inStr && c == '\\':
			i++
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == '{':
			depth++
		case c == '}':
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return stop
}

// mavenTag matches <username> and <password> elements of a <server>.
var mavenTag = lazyRegexp(`<(username|password)>\s*([^<\s]{1,512})\s*</(?:username|password)>`)

// mavenServer reads the <server> element of a Maven settings.xml at h. An
// encrypted password ({...}) or a ${property} is none.
func mavenServer(data []byte, h int) (candidate, bool) {
	end := bytes.Index(data[h:min(len(data), h+2048)], []byte("</server>"))
	if end < 0 {
		return candidate{}, false
	}
	vals := map[string][2]int{}
	for _, m := range mavenTag().FindAllSubmatchIndex(data[h:h+end], -1) {
		vals[string(data[h+m[2]:h+m[3]])] = [2]int{h + m[4], h + m[5]}
	}
	u, okU := vals["username"]
	p, okP := vals["password"]
	if !okU || !okP {
		return candidate{}, false
	}
	user, pass := string(data[u[0]:u[1]]), string(data[p[0]:p[1]])
	if strings.HasPrefix(pass, "{") || !plausiblePassword(pass) || strings.Contains(user, "${") {
		return candidate{}, false
	}
	return userPassword(user, pass, min(u[0], p[0]), max(u[1], p[1])), true
}
