package detect

import (
	"encoding/binary"
	"strings"
)

// keywordSet finds case-insensitive ASCII keywords in one pass. A bit table
// gates each position; only positions that pass are compared with the
// keywords filed under that gate entry.
//
// When every keyword has at least four bytes (the built-in rules), the gate
// is a hash of the four bytes starting at the position, loaded eight at a
// time: a keyword's first four bytes are rare in text even when its first
// two ("se", "ba", "au") are everywhere, so almost no position needs a
// comparison and the loop's one branch is predictable. With a shorter
// keyword the gate is the first two bytes. Either way the table is a
// filter, never the judge: a gate hit is confirmed byte by byte.
type keywordSet struct {
	words  []string // lowercased keywords, by the caller's index ("" for skipped ones)
	quad   bool     // gate on four bytes (every keyword has at least four)
	gate   *[gateBits / 64]uint64
	bucket []uint16  // index into byGate by gate entry (a slice, not a map: looked up at every gate hit)
	byGate [][]int32 // keyword indexes by gate entry
	// quadByte is the four-byte gate as one byte per entry, folded to
	// quadBytes entries: tested without variable shifts, four at a time
	quadByte *[quadBytes]byte
}

const quadBytes = 1 << 15

// gateBits is the size of the gate table: 8 KiB, in L1 cache.
const gateBits = 1 << 16

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

// fold4 is the four-byte gate's case folding: bit 5 set in every byte. It
// maps upper to lower case ASCII letters, and some other bytes onto each
// other ('_' and DEL, say), which only lets more positions through the
// gate to the exact comparison.
const fold4 = 0x20202020

// quadGate hashes four folded bytes (little-endian) to a gate entry.
func quadGate(x uint32) uint32 { return (x * 0x9E3779B1) >> 16 }

// pairGate is the two-byte gate entry of lowercased bytes a, b.
func pairGate(a, b byte) uint32 { return uint32(a)<<8 | uint32(b) }

func newKeywordSet(words []string) *keywordSet {
	k := &keywordSet{gate: new([gateBits / 64]uint64), bucket: make([]uint16, gateBits), quad: true,
		quadByte: new([quadBytes]byte)}
	for _, w := range words {
		w = strings.ToLower(w)
		k.words = append(k.words, w)
		if len(w) >= 2 && len(w) < 4 {
			k.quad = false
		}
	}
	for i, w := range k.words {
		if len(w) < 2 {
			continue // rules reject these; single letters cannot gate anything
		}
		var g uint32
		if k.quad {
			g = quadGate(binary.LittleEndian.Uint32([]byte(w[:4])) | fold4)
		} else {
			g = pairGate(w[0], w[1])
		}
		if k.quad {
			k.quadByte[g&(quadBytes-1)] = 1
		}
		if k.gate[g>>6]&(1<<(g&63)) == 0 { // the first keyword under this entry
			k.gate[g>>6] |= 1 << (g & 63)
			k.bucket[g] = uint16(len(k.byGate))
			k.byGate = append(k.byGate, nil)
		}
		b := k.bucket[g]
		k.byGate[b] = append(k.byGate[b], int32(i))
	}
	return k
}

// find appends every keyword occurrence in data to hits and returns it.
func (k *keywordSet) find(data []byte, hits []hit) []hit {
	if len(k.byGate) == 0 || len(data) < 2 {
		return hits
	}
	if k.quad {
		return k.findQuad(data, hits)
	}
	return k.findPair(data, hits)
}

// findQuad gates every position that has four bytes from it on, four
// positions per eight-byte load.
func (k *keywordSet) findQuad(data []byte, hits []hit) []hit {
	gate, q := k.gate, k.quadByte
	i := 0
	for ; i+8 <= len(data); i += 4 {
		w := binary.LittleEndian.Uint64(data[i:]) | fold4<<32 | fold4
		g0, g1 := quadGate(uint32(w)), quadGate(uint32(w>>8))
		g2, g3 := quadGate(uint32(w>>16)), quadGate(uint32(w>>24))
		if q[g0&(quadBytes-1)]|q[g1&(quadBytes-1)]|q[g2&(quadBytes-1)]|q[g3&(quadBytes-1)] != 0 {
			hits = k.verify4(data, i, w, hits)
		}
	}
	for ; i+4 <= len(data); i++ {
		g := quadGate(binary.LittleEndian.Uint32(data[i:]) | fold4)
		if gate[g>>6]&(1<<(g&63)) != 0 {
			hits = k.verify(data, i, g, hits)
		}
	}
	return hits
}

// verify4 confirms the four positions from i whose eight bytes are w.
func (k *keywordSet) verify4(data []byte, i int, w uint64, hits []hit) []hit {
	for s := 0; s < 4; s++ {
		g := quadGate(uint32(w >> (8 * s)))
		if k.gate[g>>6]&(1<<(g&63)) != 0 {
			hits = k.verify(data, i+s, g, hits)
		}
	}
	return hits
}

// findPair gates every position on its first two bytes.
func (k *keywordSet) findPair(data []byte, hits []hit) []hit {
	gate := k.gate
	prev := lowerTable[data[0]]
	for i := 1; i < len(data); i++ {
		cur := lowerTable[data[i]]
		g := pairGate(prev, cur)
		prev = cur
		if gate[g>>6]&(1<<(g&63)) != 0 {
			hits = k.verify(data, i-1, g, hits)
		}
	}
	return hits
}

// verify compares the keywords filed under gate entry g with data at at.
func (k *keywordSet) verify(data []byte, at int, g uint32, hits []hit) []hit {
	for _, wi := range k.byGate[k.bucket[g]] {
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
