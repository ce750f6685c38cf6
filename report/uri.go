package report

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
)

// srcRoot is the uriBaseId of paths relative to the scanned root: GitHub
// code scanning resolves it to the repository's root.
const srcRoot = "%SRCROOT%"

// artifactURI turns a finding's path into a SARIF artifactLocation: a
// relative URI reference with srcRoot as its base for a relative path, a
// file URI for an absolute one. Every byte that is not unreserved or a
// path separator is percent-encoded (spaces, '#', '?', '[', ']', '%',
// ':', control bytes and non-ASCII, as UTF-8), so that the URI names the file
// and nothing else.
func artifactURI(path string) (uri, baseID string) {
	p := strings.ReplaceAll(path, `\`, "/")
	switch {
	case strings.HasPrefix(p, "/"):
		return "file://" + encodePath(p), ""
	case len(p) >= 3 && isLetter(p[0]) && p[1] == ':' && p[2] == '/':
		return "file:///" + p[:2] + encodePath(p[2:]), ""
	}
	return encodePath(strings.TrimPrefix(p, "./")), srcRoot
}

func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

// encodePath percent-encodes every byte of p but the unreserved characters
// of RFC 3986, '/' and the sub-delimiters that are safe in a path.
func encodePath(p string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if keep(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func keep(c byte) bool {
	switch {
	case isLetter(c), c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("-._~/!$&'()*+,;=@", c) >= 0
}

// bidiEscapes writes the Unicode bidirectional controls as JSON escapes:
// the value read back is the same, but a terminal or viewer showing the
// file cannot be made to display text in another order than it is.
var bidiEscapes = strings.NewReplacer(
	"\u200e", `\u200e`, "\u200f", `\u200f`, "\u202a", `\u202a`, "\u202b", `\u202b`, "\u202c", `\u202c`,
	"\u202d", `\u202d`, "\u202e", `\u202e`, "\u2066", `\u2066`, "\u2067", `\u2067`, "\u2068", `\u2068`, "\u2069", `\u2069`)

// encodeJSON writes v indented, with control characters escaped (by
// encoding/json) and bidirectional controls too.
func encodeJSON(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := bidiEscapes.WriteString(w, b.String())
	return err
}
