package detect

import (
	"regexp"
	"strings"
	"sync"
)

// labelKind says how a label relates to the value after it.
type labelKind int

const (
	labelNone labelKind = iota
	labelKey            // NAME = value, "name": value, name: value, <name>value
	labelCall           // fn(value
	labelPath           // /segment/value
	labelWord           // word value (a flag or a keyword before the value)
	labelArg            // f(a, value): a positional argument, no name
)

// labelReach is how far before a value its label may start. Labels sit on
// the value's line, just before it.
const labelReach = 96

// slotWords are generic names of a value slot whose real name is a sibling
// field of the same record: Postman's {"key": K, "value": v}, Kubernetes'
// {name: K, value: v}, Terraform's variable "K" { default = v }, .NET's
// <add key="K" value="v"/>.
var slotWords = map[string]bool{"value": true, "default": true, "val": true, "defaultvalue": true}

// labelBefore finds the name given to the value starting at pos: the direct
// label (rawLabel), or, where that is only a slot or a position, the name the
// record or the call gives the slot.
func labelBefore(data []byte, pos int) (string, labelKind) {
	label, kind := rawLabel(data, pos)
	switch {
	case kind == labelArg || kind == labelWord && strings.EqualFold(label, "to"):
		// define("NAME", v), setdefault("NAME", v), Kotlin's "name" to v
		if name := quotedNameBefore(data, pos); name != "" {
			return name, labelKey
		}
	case kind == labelKey && slotWords[strings.ToLower(label)]:
		if name := recordName(data, pos); name != "" {
			return name, labelKey
		}
	}
	return label, kind
}

// rawLabel reads the label written right before the value at pos, looking
// back along the line over quotes, escapes and spaces: the key of an
// assignment or mapping, the function of a first argument, the URL segment
// before it, the XML element around it.
func rawLabel(data []byte, pos int) (string, labelKind) {
	stop := max(0, pos-labelReach)
	i := skipGap(data, pos-1, stop)
	if i < stop {
		return "", labelNone
	}
	kind := labelWord
	switch c := data[i]; {
	case c == '=' || c == ':' || c == '|' || c == '>' && i > stop && data[i-1] == '=':
		kind = labelKey
		i = keyEnd(data, i, stop)
	case c == '>':
		return xmlLabel(data, i, stop)
	case c == '(':
		kind = labelCall
		i--
	case c == '/':
		return pathLabel(data, i, stop)
	case c == ',':
		return "", labelArg
	}
	word, start := wordBefore(data, i, stop)
	if word == "" {
		return "", labelNone
	}
	if kind == labelKey {
		word = declaredName(data, word, start, stop)
		if c := data[skipGap(data, pos-1, stop)]; c == ':' || c == '|' {
			word = proseLabel(data, word, start)
		}
	}
	return word, kind
}

// skipGap moves i back over what separates a value from its label: quotes,
// backslashes, blanks, and the escapes \n \t \r of a string that holds text
// with several lines (a notebook cell, a JSON-encoded file).
func skipGap(data []byte, i, stop int) int {
	for i >= stop {
		switch c := data[i]; {
		case strings.IndexByte("\"'`\\ \t", c) >= 0:
			i--
		case (c == 'n' || c == 't' || c == 'r') && i > stop && data[i-1] == '\\':
			i -= 2
		default:
			return i
		}
	}
	return i
}

func skipBack(data []byte, i, stop int, set string) int {
	for i >= stop && strings.IndexByte(set, data[i]) >= 0 {
		i--
	}
	return i
}

// keyEnd moves from the separator at i back to the last byte of the key: over
// the separator, the brackets of os.environ["X"], and the parenthesis of a
// BSD checksum line "SHA256 (file) = digest".
func keyEnd(data []byte, i, stop int) int {
	i = skipBack(data, i, stop, "=:>!<+|? \t\"'`\\")
	if i >= stop && data[i] == ']' {
		i = skipBack(data, i-1, stop, "\"'`\\")
	}
	if i >= stop && data[i] == ')' {
		for i >= stop && data[i] != '(' {
			i--
		}
		i = skipBack(data, i-1, stop, " \t")
	}
	return i
}

// wordBefore returns the name ending at i (word bytes, '-', '.') and where
// it starts.
func wordBefore(data []byte, i, stop int) (string, int) {
	end := i + 1
	for i >= stop && (isWordByte(data[i]) || data[i] == '-' || data[i] == '.') {
		i--
	}
	if end <= i+1 {
		return "", end
	}
	return string(data[i+1 : end]), i + 1
}

// typeNames are the string types of typed declarations; the name declared
// stands before them ("crispKey string = ", "KEY: &'static str = ").
var typeNames = map[string]bool{"string": true, "str": true, "text": true, "char": true}

func declaredName(data []byte, word string, start, stop int) string {
	if !typeNames[strings.ToLower(word)] {
		return word
	}
	i := skipBack(data, start-1, stop, " \t&")
	if i-6 >= stop && string(data[i-6:i+1]) == "'static" {
		i = skipBack(data, i-7, stop, " \t&")
	}
	if i >= stop && data[i] == ':' {
		i = skipBack(data, i-1, stop, " \t")
	}
	if name, _ := wordBefore(data, i, stop); name != "" {
		return name
	}
	return word
}

// proseLabel widens a label of a prose or table line ("Website ID: v",
// "| Token key | v |") to the words before it, when nothing but words stands
// between the line start and the label.
func proseLabel(data []byte, word string, start int) string {
	i, from := start-1, start
	for n := 0; n < 3 && i > 0 && data[i] == ' ' && isWordByte(data[i-1]); n++ {
		_, s := wordBefore(data, i-1, max(0, i-40))
		from, i = s, s-1
	}
	j := skipBack(data, i, max(0, i-8), " \t-*|#>")
	if from == start || j >= 0 && data[j] != '\n' {
		return word
	}
	return string(data[from : start+len(word)])
}

// xmlLabel names the text of an XML element by its name or key attribute
// (<string name="crisp_key">, <entry key="crisp.key">), else by its tag.
func xmlLabel(data []byte, gt, stop int) (string, labelKind) {
	lt := gt - 1
	for lt >= stop && data[lt] != '<' && data[lt] != '>' {
		lt--
	}
	if lt < stop || data[lt] != '<' || data[gt-1] == '/' || data[lt+1] == '/' {
		return "", labelNone
	}
	tag := data[lt+1 : gt]
	if m := xmlNameAttr().FindSubmatch(tag); m != nil {
		return string(m[1]), labelKey
	}
	name, _ := wordBefore(tag, firstSpace(tag)-1, 0)
	if name == "" {
		return "", labelNone
	}
	return name, labelKey
}

var xmlNameAttr = lazyRegexp(`(?i)\b(?:name|key)\s*=\s*["']([^"']{1,64})["']`)

func firstSpace(b []byte) int {
	for i, c := range b {
		if c == ' ' || c == '\t' || c == '\n' || c == '/' {
			return i
		}
	}
	return len(b)
}

// pathLabel names a value after a slash: the URL segment before it, or the
// scheme of "scheme://value" (containerd://, docker://).
func pathLabel(data []byte, slash, stop int) (string, labelKind) {
	i := slash - 1
	if i > stop && data[i] == '/' && data[i-1] == ':' {
		i -= 2
	}
	word, _ := wordBefore(data, i, stop)
	if word == "" {
		return "", labelNone
	}
	return word, labelPath
}

// quotedNameBefore returns the name-like string literal given as the argument
// before the value at pos ("NAME", value), or "".
func quotedNameBefore(data []byte, pos int) string {
	stop := max(0, pos-labelReach)
	i := skipGap(data, pos-1, stop)
	switch {
	case i >= stop && data[i] == ',':
		i--
	case i-1 >= stop && equalFoldASCII(data[i-1:i+1], "to"):
		i -= 2
	default:
		return ""
	}
	i = skipBack(data, i, stop, " \t")
	if i < stop || data[i] != '"' && data[i] != '\'' {
		return ""
	}
	j := i - 1
	for j >= stop && data[j] != data[i] {
		j--
	}
	if j < stop || !nameLike(string(data[j+1:i])) {
		return ""
	}
	return string(data[j+1 : i])
}

// nameLike reports whether s reads as a name (CRISP_KEY, crisp.key,
// Crisp:Key) and not as a value such as a UUID or hex string.
func nameLike(s string) bool {
	if s == "" || len(s) > 64 || !(s[0] == '_' || s[0] >= 'A' && s[0] <= 'Z' || s[0] >= 'a' && s[0] <= 'z') {
		return false
	}
	named := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isWordByte(c) && c != '.' && c != '-' && c != ':' {
			return false
		}
		named = named || c == '_' || c == '.' || !isHexByte(c) && isAlnum(c)
	}
	return named
}

// recordNamePat finds the field that names a record's value slot: name: X,
// "key": "X", variable "X", key="X".
var recordNamePat = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)(?:^|[^\w.-])["']?(?:name|key|variable)["']?\s*[:=]?\s*["']?([A-Za-z_][\w.:-]*)`)
})

// recordName returns the name of the record holding the value slot at pos:
// the nearest naming field in the few lines before it, not looking past the
// end of an earlier record.
func recordName(data []byte, pos int) string {
	ws := max(0, pos-300)
	for n, i := 0, pos-1; i >= ws; i-- {
		if data[i] == '\n' {
			if n++; n > 4 {
				ws = i
				break
			}
		}
	}
	text := data[ws:pos]
	if k := lastIndexAny(text, "}"); k >= 0 {
		text = text[k+1:]
	}
	ms := recordNamePat().FindAllSubmatch(text, -1)
	for k := len(ms) - 1; k >= 0; k-- {
		if name := string(ms[k][1]); nameLike(name) && !slotWords[strings.ToLower(name)] {
			return name
		}
	}
	return ""
}

func lastIndexAny(b []byte, chars string) int {
	for i := len(b) - 1; i >= 0; i-- {
		if strings.IndexByte(chars, b[i]) >= 0 {
			return i
		}
	}
	return -1
}

// words splits a label into lowercase words at '_', '-', '.', spaces,
// letter-digit boundaries and camelCase humps, acronyms included:
// "CRISP_WEBSITE_ID", "crispWebsiteId" and "crispAPIKey" give [crisp website
// id] and [crisp api key].
func words(label string) []string {
	var out []string
	var cur []byte
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	for i := 0; i < len(label); i++ {
		c := label[i]
		if !isAlnum(c) {
			flush()
			continue
		}
		if i > 0 && wordBreak(label[i-1], c, i+1 < len(label) && isLower(label[i+1])) {
			flush()
		}
		cur = append(cur, c)
	}
	flush()
	return out
}

// wordBreak reports whether a new word starts at c after prev: a hump
// (aB), the end of an acronym (APIKey: the K), a letter then a digit.
func wordBreak(prev, c byte, nextLower bool) bool {
	switch {
	case isUpper(c) && isLower(prev):
		return true
	case isUpper(c) && isUpper(prev) && nextLower:
		return true
	}
	return c >= '0' && c <= '9' && (isLower(prev) || isUpper(prev))
}

func isLower(b byte) bool { return b >= 'a' && b <= 'z' }
func isUpper(b byte) bool { return b >= 'A' && b <= 'Z' }

func hasWord(ws []string, set ...string) bool {
	for _, w := range ws {
		for _, s := range set {
			if w == s {
				return true
			}
		}
	}
	return false
}
