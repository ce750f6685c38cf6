package detect

import (
	"bytes"
	"sort"
	"strings"
)

// structKind says what holds a value: the structures a pair can share.
type structKind int

const (
	structNone    structKind = iota
	structCall               // the argument list of a call: f(a, b, c)
	structLine               // one line
	structObject             // a JSON/JS object {...} or an indented YAML mapping
	structSection            // an INI/TOML [section], up to the next one
	structBlock              // a group of lines between blank lines (a .env block)
)

var structNames = [...]string{"none", "call", "line", "object", "section", "block"}

func (k structKind) String() string { return structNames[k] }

// structure is one thing that holds a value: its kind, the name it is
// given (the call's function, the object's key, the section's header) and
// its span in the data. Two values share it when kind and start agree.
type structure struct {
	kind       structKind
	name       string
	start, end int
}

// How far the structure readers look from a value, so that a huge file
// costs no more than a small one.
const (
	callReach    = 600  // bytes back to a call's "(" (a call written over several lines)
	objectReach  = 2000 // bytes back to an object's "{"
	sectionReach = 8000 // bytes back to an INI "[section]" header
	blockLines   = 80   // lines back and forth to a blank line
	yamlLines    = 40   // lines back to a YAML mapping's parent key
)

// placement is where a value sits: every structure that holds it, innermost
// first, and, in a call, which argument it is.
type placement struct {
	line  int // 0-based line in the scan
	arg   int // 0-based argument index in call, -1 when not an argument
	holds []structure
}

// place reads the structures around the value at [start,end).
func place(s *scan, start, end int) placement {
	p := placement{line: s.line(start), arg: -1}
	ls, le := s.lineStart(start), s.lineEnd(start)
	if c, arg, ok := callAround(s.data, start); ok {
		p.holds = append(p.holds, c)
		p.arg = arg
	}
	p.holds = append(p.holds, structure{kind: structLine, start: ls, end: le})
	if o, ok := objectAround(s, start); ok {
		p.holds = append(p.holds, o)
	}
	if sec, ok := sectionAround(s, start); ok {
		p.holds = append(p.holds, sec)
	}
	if b, ok := blockAround(s, start); ok {
		p.holds = append(p.holds, b)
	}
	return p
}

// shared returns the smallest structure that holds both placements.
func shared(a, b placement) (structure, bool) {
	var best structure
	found := false
	for _, x := range a.holds {
		for _, y := range b.holds {
			if x.kind == y.kind && x.start == y.start && (!found || x.end-x.start < best.end-best.start) {
				best, found = x, true
			}
		}
	}
	return best, found
}

// of returns the placement's structure of the kind, if any.
func (p placement) of(k structKind) (structure, bool) {
	for _, h := range p.holds {
		if h.kind == k {
			return h, true
		}
	}
	return structure{}, false
}

// callAround finds the call whose argument list holds pos: the nearest
// unclosed "(" before it (over a few lines), the function named before it,
// and which argument pos is (commas at the list's own depth).
func callAround(data []byte, pos int) (structure, int, bool) {
	depth, commas := 0, 0
	for i := pos - 1; i >= max(0, pos-callReach); i-- {
		switch data[i] {
		case ')', ']', '}':
			depth++
		case '[', '{':
			if depth == 0 {
				return structure{}, 0, false // in a list or object first
			}
			depth--
		case ';':
			if depth == 0 {
				return structure{}, 0, false
			}
		case ',':
			if depth == 0 {
				commas++
			}
		case '(':
			if depth > 0 {
				depth--
				continue
			}
			name, _ := wordBefore(data, i-1, max(0, i-labelReach))
			name = name[strings.LastIndexByte(name, '.')+1:] // client.authenticateTier: the method
			if name == "" {
				return structure{}, 0, false // a parenthesis, not a call
			}
			return structure{kind: structCall, name: name, start: i, end: closing(data, i, callReach)}, commas, true
		}
	}
	return structure{}, 0, false
}

// closing returns the offset just past the bracket that closes the one at
// open, or the end of the reach.
func closing(data []byte, open, reach int) int {
	o := data[open]
	c := map[byte]byte{'(': ')', '[': ']', '{': '}'}[o]
	depth := 0
	limit := min(len(data), open+reach)
	for i := open; i < limit; i++ {
		switch data[i] {
		case o:
			depth++
		case c:
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return limit
}

// objectAround finds the object holding pos: the nearest unclosed "{" (JSON,
// JS, HCL), else the YAML mapping whose parent key is less indented.
func objectAround(s *scan, pos int) (structure, bool) {
	data := s.data
	depth := 0
	for i := pos - 1; i >= max(0, pos-objectReach); i-- {
		switch data[i] {
		case '}', ']':
			depth++
		case '[':
			if depth > 0 {
				depth--
			}
		case '{':
			if depth > 0 {
				depth--
				continue
			}
			return structure{kind: structObject, name: objectName(data, i), start: i, end: closing(data, i, objectReach*2)}, true
		}
	}
	return yamlMapping(s, pos)
}

// objectName is the key an object is the value of: "crisp": {, crisp = {,
// or, for an object in a list, the list's key ("hashes": [{).
func objectName(data []byte, brace int) string {
	stop := max(0, brace-labelReach)
	i := skipBack(data, brace-1, stop, " \t\r\n")
	for n := 0; n < 4 && i >= stop && (data[i] == '[' || data[i] == ','); n++ {
		if data[i] == ',' {
			return listName(data, i, stop)
		}
		i = skipBack(data, i-1, stop, " \t\r\n")
	}
	if i < stop || data[i] != ':' && data[i] != '=' {
		return ""
	}
	name, _ := wordBefore(data, keyEnd(data, i, stop), stop)
	return name
}

// listName names an object that follows a comma in a list: the key of the
// list, found at the list's unclosed "[".
func listName(data []byte, comma, stop int) string {
	depth := 0
	for i := comma; i >= max(0, comma-objectReach); i-- {
		switch data[i] {
		case '}', ']':
			depth++
		case '{':
			depth--
		case '[':
			if depth == 0 {
				return objectName(data, i+1)
			}
			depth--
		}
	}
	return ""
}

// yamlMapping finds the indented mapping holding the line of pos: the
// nearest earlier line that is less indented and ends with ":", up to the
// next line that is not more indented than it.
func yamlMapping(s *scan, pos int) (structure, bool) {
	ln := s.line(pos)
	ind := indent(s, ln)
	if ind == 0 {
		return structure{}, false
	}
	for p := ln - 1; p >= max(0, ln-yamlLines); p-- {
		t := lineText(s, p)
		if len(bytes.TrimSpace(t)) == 0 {
			continue
		}
		pi := indent(s, p)
		if pi >= ind {
			continue
		}
		key := bytes.TrimSpace(t)
		if !bytes.HasSuffix(key, []byte(":")) {
			return structure{}, false
		}
		name, _ := wordBefore(key, keyEnd(key, len(key)-1, 0), 0)
		end := ln + 1
		for ; end < ln+blockLines && end <= len(s.nl); end++ {
			if t := lineText(s, end); len(bytes.TrimSpace(t)) > 0 && indent(s, end) <= pi {
				break
			}
		}
		start, stop := s.lineRange(p, end-1)
		return structure{kind: structObject, name: name, start: start, end: stop}, true
	}
	return structure{}, false
}

// sectionAround finds the INI/TOML "[section]" whose lines hold pos: the
// last header line before it (within sectionReach bytes), up to the next.
func sectionAround(s *scan, pos int) (structure, bool) {
	hs := sectionLines(s)
	ln := s.line(pos)
	i := sort.SearchInts(hs, ln+1) - 1
	if i < 0 {
		return structure{}, false
	}
	start, _ := s.lineRange(hs[i], hs[i])
	if pos-start > sectionReach {
		return structure{}, false
	}
	last := len(s.nl)
	if i+1 < len(hs) {
		last = hs[i+1] - 1
	}
	_, end := s.lineRange(last, last)
	name, _ := sectionHeader(lineText(s, hs[i]))
	return structure{kind: structSection, name: name, start: start, end: end}, true
}

// sectionLines returns the numbers of the lines that are "[section]"
// headers, read once per scan.
func sectionLines(s *scan) []int {
	if s.sectionsRead {
		return s.sections
	}
	s.sectionsRead = true
	for i := 0; i < len(s.data); i++ {
		k := bytes.IndexByte(s.data[i:], '[')
		if k < 0 {
			break
		}
		i += k
		j := skipBack(s.data, i-1, 0, " \t")
		if j >= 0 && s.data[j] != '\n' {
			continue // "[" inside a line: code, not a header
		}
		n := s.line(i)
		if _, ok := sectionHeader(lineText(s, n)); ok {
			s.sections = append(s.sections, n)
		}
		i = s.lineEnd(i)
	}
	return s.sections
}

// sectionHeader reads "[name]" or "[[name]]" alone on a line.
func sectionHeader(line []byte) (string, bool) {
	t := bytes.TrimSpace(line)
	if len(t) < 3 || t[0] != '[' || t[len(t)-1] != ']' {
		return "", false
	}
	name := bytes.Trim(t, "[] ")
	if len(name) == 0 || len(name) > 64 {
		return "", false
	}
	for _, c := range name {
		if !isWordByte(c) && c != '.' && c != '-' && c != ' ' && c != '"' {
			return "", false
		}
	}
	return string(name), true
}

// blockAround finds the group of non-blank lines holding pos: a .env block,
// a paragraph of settings.
func blockAround(s *scan, pos int) (structure, bool) {
	ln := s.line(pos)
	first, last := ln, ln
	for ; first > 0 && len(bytes.TrimSpace(lineText(s, first-1))) > 0; first-- {
		if ln-first >= blockLines {
			return structure{}, false
		}
	}
	for ; last < len(s.nl) && len(bytes.TrimSpace(lineText(s, last+1))) > 0; last++ {
		if last-ln >= blockLines {
			return structure{}, false
		}
	}
	start, end := s.lineRange(first, last)
	return structure{kind: structBlock, start: start, end: end}, true
}

// lineText returns line n (0-based) without its newline.
func lineText(s *scan, n int) []byte {
	a, b := s.lineRange(n, n)
	return s.data[a:b]
}

// indent counts the blanks a line starts with; a YAML list item's "- "
// counts as indentation of what follows it.
func indent(s *scan, n int) int {
	t := lineText(s, n)
	i := 0
	for i < len(t) && (t[i] == ' ' || t[i] == '\t' || t[i] == '-' && i+1 < len(t) && t[i+1] == ' ') {
		i++
	}
	return i
}
