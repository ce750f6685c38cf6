package source

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// writeIdx writes a version 2 .idx holding ids (sorted here) at the given
// offsets (past 2 GiB they go to the large offset table), and an empty
// pack beside it; it returns the .idx path.
func writeIdx(t *testing.T, ids [][]byte, offs map[string]int64) string {
	t.Helper()
	slices.SortFunc(ids, bytes.Compare)
	var b bytes.Buffer
	b.Write([]byte{0xff, 't', 'O', 'c', 0, 0, 0, 2})
	for i := range 256 {
		n := 0
		for _, id := range ids {
			if int(id[0]) <= i {
				n++
			}
		}
		binary.Write(&b, binary.BigEndian, uint32(n))
	}
	for _, id := range ids {
		b.Write(id)
	}
	b.Write(make([]byte, 4*len(ids))) // CRCs
	var big []int64
	for _, id := range ids {
		o := offs[string(id)]
		if o >= 1<<31 {
			binary.Write(&b, binary.BigEndian, uint32(0x80000000|len(big)))
			big = append(big, o)
			continue
		}
		binary.Write(&b, binary.BigEndian, uint32(o))
	}
	for _, o := range big {
		binary.Write(&b, binary.BigEndian, uint64(o))
	}
	b.Write(make([]byte, 40)) // the pack's and the index's checksums
	dir := t.TempDir()
	idx := filepath.Join(dir, "pack-x.idx")
	if err := os.WriteFile(idx, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "pack-x.pack"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return idx
}

// The lookup reads a window of the .idx where evenly spread ids would put
// an id; ids bunched far from there (or absent) must still be found (or
// not) exactly.
func TestIdxLookupFindsIDsWhereverTheySit(t *testing.T) {
	var ids [][]byte
	offs := map[string]int64{}
	add := func(id []byte, off int64) {
		ids = append(ids, id)
		offs[string(id)] = off
	}
	for i := range 3000 { // one bucket, bunched at its low end
		id := make([]byte, 20)
		id[0] = 0x42
		binary.BigEndian.PutUint64(id[1:], uint64(i)*7+1)
		add(id, int64(12+i))
	}
	for i := range 50 { // and a few at its top
		id := bytes.Repeat([]byte{0xff}, 20)
		id[0], id[19] = 0x42, byte(2*i)
		add(id, int64(1<<32+i)) // past 4 GiB: the large offset table
	}
	for i := range 300 { // other buckets, spread evenly
		id := make([]byte, 20)
		binary.BigEndian.PutUint64(id, uint64(i)*0x00d5_5555_5555_5555)
		id[19] = 1
		if id[0] != 0x42 {
			add(id, int64(100000+i))
		}
	}
	p, err := openIDPack(writeIdx(t, slices.Clone(ids), offs))
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	for _, id := range ids {
		if got := p.offset(id); got != offs[string(id)] {
			t.Fatalf("%x: offset %d, want %d", id, got, offs[string(id)])
		}
		missing := slices.Clone(id)
		missing[19]++ // between two, or past the last
		if _, ok := offs[string(missing)]; !ok {
			if got := p.offset(missing); got != -1 {
				t.Fatalf("%x is not in the index, found at %d", missing, got)
			}
		}
	}
	if got := p.offset(make([]byte, 20)); got != -1 {
		t.Fatalf("an empty bucket gave %d", got)
	}
}
