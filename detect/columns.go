package detect

import (
	"bytes"
)

// columnName names a value in a row of a table (CSV, TSV, a Markdown or
// psql table) by the header of its column: the first line of the block of
// rows (or of the text) when it has as many fields as the value's row and
// they read as names. "id,name,hash" names the columns of the rows below.
func columnName(s *scan, pos int, at placement) string {
	ln := s.line(pos)
	row := lineText(s, ln)
	ls, _ := s.lineRange(ln, ln)
	sep := rowSeparator(row)
	if sep == 0 {
		return ""
	}
	head := 0
	if b, ok := at.of(structBlock); ok {
		head = s.line(b.start)
	}
	if head == ln {
		return ""
	}
	header := bytes.Split(lineText(s, head), []byte{sep})
	if len(header) != bytes.Count(row, []byte{sep})+1 {
		return ""
	}
	col := bytes.Count(row[:pos-ls], []byte{sep})
	name := string(bytes.Trim(header[col], " \t\"'`\r"))
	if !nameLike(name) {
		return ""
	}
	return name
}

// rowSeparator returns the separator a table row's fields are split by, or
// 0 when the line is not a row.
func rowSeparator(row []byte) byte {
	best, n := byte(0), 0
	for _, c := range []byte{',', '\t', '|', ';'} {
		if k := bytes.Count(row, []byte{c}); k > n {
			best, n = c, k
		}
	}
	if n == 0 {
		return 0
	}
	return best
}

// sqlColumnName names a value in a row of an SQL INSERT by the column list:
// INSERT INTO t (id, provider, token_sha256) VALUES ('v1', 'v2', 'v3'), (...).
func sqlColumnName(data []byte, pos int) string {
	open, arg := tupleAround(data, pos)
	if open < 0 {
		return ""
	}
	stop := max(0, open-sectionReach)
	at := lastIndexFold(data[stop:open], "values")
	if at < 0 {
		return ""
	}
	head := data[stop : stop+at]
	cl := bytes.LastIndexByte(head, ')')
	op := bytes.LastIndexByte(head, '(')
	if cl < 0 || op < 0 || op > cl || len(bytes.TrimSpace(head[cl+1:])) > 0 {
		return ""
	}
	cols := bytes.Split(head[op+1:cl], []byte{','})
	if arg >= len(cols) {
		return ""
	}
	name := string(bytes.Trim(cols[arg], " \t\r\n\"'`[]"))
	if !nameLike(name) {
		return ""
	}
	return name
}

// tupleAround returns the offset of the unclosed "(" holding pos on its
// line and which element pos is, or -1.
func tupleAround(data []byte, pos int) (int, int) {
	depth, commas := 0, 0
	for i := pos - 1; i >= max(0, pos-callReach) && data[i] != '\n'; i-- {
		switch data[i] {
		case ')':
			depth++
		case ',':
			if depth == 0 {
				commas++
			}
		case '(':
			if depth == 0 {
				return i, commas
			}
			depth--
		}
	}
	return -1, 0
}

// lastIndexFold is a case-insensitive bytes.LastIndex for a lowercase
// ASCII word.
func lastIndexFold(b []byte, w string) int {
	for i := len(b) - len(w); i >= 0; i-- {
		if lowerTable[b[i]] == w[0] && equalFoldASCII(b[i:i+len(w)], w) {
			return i
		}
	}
	return -1
}
