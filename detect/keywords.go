package detect

import "strings"

// keywordSet finds case-insensitive ASCII keywords in one pass. A 64K-bit table
// of the keywords' first two bytes (case-folded) gates each position; only
// positions that pass are compared with the keywords that start with that
// pair. The per-byte work is two independent table loads, so the loop runs at
// memory speed on text where the pairs are rare.
type keywordSet struct {
	words   []string              // lowercased keywords
	gate    *[1 << 16 / 64]uint64 // bit (a<<8|b) set when some keyword starts with bytes a, b (an array: no bounds checks)
	byPair  [][]int32             // keyword indexes by first pair
	pairIdx []uint16              // index into byPair by first pair (a slice, not a map: looked up at every gate hit)
}

// hit is one keyword occurrence: the keyword's index and its start offset.
type hit struct {
	kw  int32
	pos int32
}

var lowerTable = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
		if i >= 'A' && i <= 'Z' {
			t[i] = byte(i) + 'a' - 'A'
		}
	}
	return t
}()

func newKeywordSet(words []string) *keywordSet {
	k := &keywordSet{gate: new([1 << 16 / 64]uint64), pairIdx: make([]uint16, 1<<16)}
	for _, w := range words {
		w = strings.ToLower(w)
		if len(w) < 2 {
			continue // rules reject these; single letters cannot gate anything
		}
		k.words = append(k.words, w)
		p := uint16(w[0])<<8 | uint16(w[1])
		if k.gate[p>>6]&(1<<(p&63)) == 0 { // the first keyword with this pair
			k.gate[p>>6] |= 1 << (p & 63)
			k.pairIdx[p] = uint16(len(k.byPair))
			k.byPair = append(k.byPair, nil)
		}
		i := k.pairIdx[p]
		k.byPair[i] = append(k.byPair[i], int32(len(k.words)-1))
	}
	return k
}

// find appends every keyword occurrence in data to hits and returns it.
func (k *keywordSet) find(data []byte, hits []hit) []hit {
	if len(k.words) == 0 || len(data) < 2 {
		return hits
	}
	gate := k.gate
	prev := uint16(lowerTable[data[0]])
	for i := 1; i < len(data); i++ {
		cur := uint16(lowerTable[data[i]])
		p := prev<<8 | cur
		prev = cur
		if gate[p>>6]&(1<<(p&63)) == 0 {
			continue
		}
		hits = k.verify(data, i-1, p, hits)
	}
	return hits
}

func (k *keywordSet) verify(data []byte, at int, p uint16, hits []hit) []hit {
	for _, wi := range k.byPair[k.pairIdx[p]] {
		w := k.words[wi]
		if at+len(w) > len(data) {
			continue
		}
		if equalFoldASCII(data[at:at+len(w)], w) {
			hits = append(hits, hit{kw: wi, pos: int32(at)})
		}
	}
	return hits
}

// equalFoldASCII compares b with the lowercase ASCII word w, ignoring case.
func equalFoldASCII(b []byte, w string) bool {
	for i := 0; i < len(w); i++ {
		if lowerTable[b[i]] != w[i] {
			return false
		}
	}
	return true
}
