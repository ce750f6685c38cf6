package source

import (
	"sync"
	"syscall"
	"unsafe"
)

// arenaBytes is the address space set aside for pooled buffers; only what
// is used is backed, 2 MiB at a time.
const arenaBytes = 64 << 20

// madvHugepage is Linux's MADV_HUGEPAGE.
const madvHugepage = 14

var arena struct {
	once sync.Once
	mu   sync.Mutex
	mem  []byte
	off  int
}

// arenaAlloc returns a buffer of size bytes (a power of two of at least 4
// KiB) carved from a region the kernel backs with transparent huge pages,
// or nil when the region is used up or cannot be had. Buffers are never
// given back to it: the pool's free lists reuse them.
func arenaAlloc(size int) []byte {
	arena.once.Do(mapArena)
	arena.mu.Lock()
	defer arena.mu.Unlock()
	if arena.mem == nil || arena.off+size > len(arena.mem) {
		return nil
	}
	b := arena.mem[arena.off : arena.off+size : arena.off+size]
	arena.off += size
	return b
}

// mapArena reserves the region, aligned to a huge page.
func mapArena() {
	const huge = 2 << 20
	mem, err := syscall.Mmap(-1, 0, arenaBytes+huge, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return
	}
	skip := 0
	if a := int(uintptr(unsafe.Pointer(unsafe.SliceData(mem))) % huge); a != 0 {
		skip = huge - a
	}
	mem = mem[skip : skip+arenaBytes]
	_ = syscall.Madvise(mem, madvHugepage) // without it, pages of 4 KiB: slower, not wrong
	arena.mem = mem
}
