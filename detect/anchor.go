package detect

import "sort"

// anchoredInScope reports whether a Crisp keyword near [start,end) speaks of
// the values there: it lies within anchorLines and anchorBytes, and its
// scope holds them. A keyword that names an object ("crisp": {...}, a YAML
// "crisp:" mapping) scopes that object, so {"crisp": {"website_id": ..},
// "other": {"id": .., "secret": ..}} anchors nothing in "other"; any other
// keyword (a URL, a resource's name, a header in a sibling record) speaks of
// everything near it.
func anchoredInScope(s *scan, anchors []int, start, end int) bool {
	ws, we := s.window(start, end, anchorLines, anchorBytes)
	for i := sort.SearchInts(anchors, ws); i < len(anchors) && anchors[i] < we; i++ {
		if a, b := anchorScope(s, anchors[i]); a <= start && end <= b {
			return true
		}
	}
	return false
}

// anchorScope returns the span a keyword at pos speaks of.
func anchorScope(s *scan, pos int) (int, int) {
	data := s.data
	e := pos
	for e < len(data) && (isWordByte(data[e]) || data[e] == '-' || data[e] == '.') {
		e++
	}
	j := skipFwd(data, e, "\"' \t")
	if j < len(data) && (data[j] == ':' || data[j] == '=') {
		k := skipFwd(data, j+1, " \t")
		switch {
		case k < len(data) && data[k] == '{':
			return k, closing(data, k, objectReach*2)
		case k < len(data) && (data[k] == '\n' || data[k] == '\r'):
			if next := skipFwd(data, k, "\r\n"); next < len(data) {
				if m, ok := yamlMapping(s, next); ok && m.start <= pos {
					return m.start, m.end
				}
			}
		}
	}
	return 0, len(data)
}

func skipFwd(data []byte, i int, set string) int {
	for i < len(data) && indexByteString(set, data[i]) {
		i++
	}
	return i
}

func indexByteString(set string, c byte) bool {
	for i := 0; i < len(set); i++ {
		if set[i] == c {
			return true
		}
	}
	return false
}
