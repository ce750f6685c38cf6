package detect

import (
	"sort"
	"strings"
)

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
			for t := range vocab().tier {
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
func crispWebsiteIDs(sides []crispSide, pos int, ident string) []string {
	type cand struct {
		id   string
		dist int
	}
	var cs []cand
	seen := map[string]bool{strings.ToLower(ident): true}
	for _, sd := range sides {
		if sd.role != roleWebsite || seen[strings.ToLower(sd.v.text)] {
			continue
		}
		seen[strings.ToLower(sd.v.text)] = true
		cs = append(cs, cand{sd.v.text, abs(sd.v.start - pos)})
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].dist < cs[j].dist })
	out := make([]string, 0, min(len(cs), 5))
	for _, c := range cs[:min(len(cs), 5)] {
		out = append(out, c.id)
	}
	return out
}
