package source

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sort"
)

// errUnsupported says the in-process reader does not handle this object
// database (alternates, SHA-256, an index version it does not know): the
// caller reads it with git cat-file instead. It is returned before any
// object has been handed on.
var errUnsupported = errors.New("object store not handled in-process")

// Object types as a pack file numbers them.
const (
	objCommit   = 1
	objTree     = 2
	objBlob     = 3
	objTag      = 4
	objOfsDelta = 6
	objRefDelta = 7
)

// packIndex is a pack's .idx (version 2) turned around: its objects sorted
// by their offset in the pack, so that the pack can be read front to back.
type packIndex struct {
	ids  [][20]byte // by offset
	offs []int64    // ascending
	// byID is the position in ids/offs of each object, in id order (the
	// .idx's own order), for looking up REF_DELTA bases.
	byID  []int32
	count int
}

// readPackIndex parses a version 2 .idx file.
func readPackIndex(path string) (*packIndex, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) < 8+256*4 || !bytes.Equal(data[:4], []byte{0xff, 't', 'O', 'c'}) ||
		binary.BigEndian.Uint32(data[4:]) != 2 {
		return nil, fmt.Errorf("%s: %w (not a version 2 index)", path, errUnsupported)
	}
	n := int(binary.BigEndian.Uint32(data[8+255*4:]))
	shaAt, crcAt := 8+256*4, 8+256*4+20*n
	offAt := crcAt + 4*n
	bigAt := offAt + 4*n
	if len(data) < bigAt+40 {
		return nil, fmt.Errorf("%s: truncated index: %w", path, errUnsupported)
	}
	type ent struct {
		off int64
		pos int32 // position in id order
	}
	ents := make([]ent, n)
	for i := range n {
		o := int64(binary.BigEndian.Uint32(data[offAt+4*i:]))
		if o&0x80000000 != 0 {
			j := bigAt + 8*int(o&0x7fffffff)
			if j+8 > len(data) {
				return nil, fmt.Errorf("%s: bad large offset: %w", path, errUnsupported)
			}
			o = int64(binary.BigEndian.Uint64(data[j:]))
		}
		ents[i] = ent{off: o, pos: int32(i)}
	}
	sort.Slice(ents, func(a, b int) bool { return ents[a].off < ents[b].off })
	ix := &packIndex{ids: make([][20]byte, n), offs: make([]int64, n), byID: make([]int32, n), count: n}
	for i, e := range ents {
		ix.offs[i] = e.off
		copy(ix.ids[i][:], data[shaAt+20*int(e.pos):])
		ix.byID[e.pos] = int32(i)
	}
	return ix, nil
}

// find returns the position (in offset order) of the object id, or -1.
func (ix *packIndex) find(id []byte) int {
	i := sort.Search(ix.count, func(k int) bool { return bytes.Compare(ix.ids[ix.byID[k]][:], id) >= 0 })
	if i < ix.count && bytes.Equal(ix.ids[ix.byID[i]][:], id) {
		return int(ix.byID[i])
	}
	return -1
}

// at returns the position of the object at offset off, or -1.
func (ix *packIndex) at(off int64) int {
	i := sort.Search(ix.count, func(k int) bool { return ix.offs[k] >= off })
	if i < ix.count && ix.offs[i] == off {
		return i
	}
	return -1
}
