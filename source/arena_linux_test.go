package source

import (
	"testing"
	"unsafe"
)

// The arena hands out buffers of the size asked, none overlapping another,
// until it is used up; then the pool falls back to the Go heap.
func TestArenaBuffersNeverOverlapAndRunOut(t *testing.T) {
	type span struct{ lo, hi uintptr }
	var spans []span
	total := 0
	for i := 0; ; i++ {
		size := 4096 << (i % 9) // 4 KiB to 1 MiB
		b := arenaAlloc(size)
		if b == nil {
			break
		}
		if len(b) != size || cap(b) != size {
			t.Fatalf("asked %d, got len %d cap %d", size, len(b), cap(b))
		}
		b[0], b[size-1] = 1, 2 // backed memory
		lo := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
		spans = append(spans, span{lo, lo + uintptr(size)})
		total += size
	}
	if arena.mem == nil {
		t.Skip("no arena on this machine")
	}
	if total > arenaBytes || total < arenaBytes-(1<<20) {
		t.Fatalf("handed out %d bytes of %d", total, arenaBytes)
	}
	for i := 1; i < len(spans); i++ {
		if spans[i].lo < spans[i-1].hi {
			t.Fatalf("buffer %d overlaps the one before", i)
		}
	}
	useArena()
	p := &bufPools[13] // 8 KiB buffers: none pooled, so a new one is made
	p.mu.Lock()
	pooled.Add(-int64(len(p.free) * 8192))
	p.free = nil
	p.mu.Unlock()
	b := getBuf(5000)
	at := uintptr(unsafe.Pointer(unsafe.SliceData(*b)))
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(arena.mem)))
	if len(*b) != 5000 || cap(*b) != 8192 || (at >= lo && at < lo+arenaBytes) {
		t.Fatalf("a used-up arena's pool gave len %d cap %d, inside the arena: %v", len(*b), cap(*b), at >= lo && at < lo+arenaBytes)
	}
}
