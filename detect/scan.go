package detect

import (
	"bytes"
	"sort"
)

// scan is the per-chunk state the engines share: the data, the keyword hits
// and a lazily built index of line starts.
type scan struct {
	data  []byte
	where string // the chunk's path (or id), for the explain trace
	line0 int    // the chunk's first line number
	hits  []hit
	nl    []int // offsets of every '\n'; built on first use
	built bool
	// sections lists the lines that are "[section]" headers, read on
	// first use by the Crisp pairing model (structure.go).
	sections     []int
	sectionsRead bool
}

// positions returns the offsets of the hits whose keyword is in kws, in order.
func (s *scan) positions(kws map[int32]bool) []int {
	var out []int
	for _, h := range s.hits {
		if kws[h.kw] {
			out = append(out, int(h.pos))
		}
	}
	return out
}

func (s *scan) index() {
	if s.built {
		return
	}
	s.built = true
	for i := 0; ; {
		j := bytes.IndexByte(s.data[i:], '\n')
		if j < 0 {
			return
		}
		s.nl = append(s.nl, i+j)
		i += j + 1
	}
}

// line returns the 0-based line number of offset pos.
func (s *scan) line(pos int) int {
	s.index()
	return sort.SearchInts(s.nl, pos)
}

// lineStart returns the offset where the line holding pos starts.
func (s *scan) lineStart(pos int) int {
	n := s.line(pos)
	if n == 0 {
		return 0
	}
	return s.nl[n-1] + 1
}

// lineEnd returns the offset of the '\n' ending the line holding pos (or the
// end of the data).
func (s *scan) lineEnd(pos int) int {
	n := s.line(pos)
	if n < len(s.nl) {
		return s.nl[n]
	}
	return len(s.data)
}

// lineRange returns the offsets spanning lines first..last (0-based, clamped).
func (s *scan) lineRange(first, last int) (int, int) {
	s.index()
	start, end := 0, len(s.data)
	if first > 0 && first-1 < len(s.nl) {
		start = s.nl[first-1] + 1
	}
	if last >= 0 && last < len(s.nl) {
		end = s.nl[last]
	}
	if start > end {
		start = end
	}
	return start, end
}

// window returns the offsets of the text around [start,end): up to lines
// lines before and after, and never more than bytes bytes either side.
func (s *scan) window(start, end, lines, bytes int) (int, int) {
	ws, we := s.lineRange(s.line(start)-lines, s.line(end)+lines)
	ws = max(ws, start-bytes)
	we = min(we, end+bytes)
	return max(ws, 0), min(we, len(s.data))
}
