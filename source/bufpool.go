package source

import (
	"math/bits"
	"sync"
	"sync/atomic"
)

// Buffers are pooled by power-of-two capacity, so that reading millions of
// blobs does not allocate millions of buffers. The free lists survive
// garbage collections (a sync.Pool is emptied by each, and a history read
// then allocated - and page-faulted in - almost every buffer anew); they
// keep at most poolBytes in all.
const poolBytes = 48 << 20

var pooled atomic.Int64

// arenaOn has new buffers carved from a region backed by huge pages
// (arena_linux.go) rather than the Go heap, for the runs made of short
// reads by id - a range, the staged changes - where fresh memory was most
// of the cost: on a VM every 4 KiB page of it faults (10-15 us), and one
// huge page serves 512 of them. git/git, HEAD~100..HEAD: 5,833 faults and
// 0.312 s against 9,087 and 0.338 s; 20 staged files: 1,081 faults and
// 0.040 s against 1,670 and 0.050 s. A whole history is left on the Go
// heap: no faster there (0.98x), and 32 MiB more at its peak.
var arenaOn atomic.Bool

// useArena turns arenaOn on for the rest of the process.
func useArena() { arenaOn.Store(true) }

var bufPools [32]struct {
	mu   sync.Mutex
	free []*[]byte
}

func getBuf(n int) *[]byte {
	c := bits.Len(uint(max(n-1, 4095)))
	p := &bufPools[c]
	p.mu.Lock()
	if k := len(p.free); k > 0 {
		b := p.free[k-1]
		p.free = p.free[:k-1]
		p.mu.Unlock()
		pooled.Add(-int64(cap(*b)))
		*b = (*b)[:n]
		return b
	}
	p.mu.Unlock()
	if arenaOn.Load() {
		if a := arenaAlloc(1 << c); a != nil {
			a = a[:n]
			return &a
		}
	}
	b := make([]byte, n, 1<<c)
	return &b
}

func putBuf(b *[]byte) {
	if b == nil {
		return
	}
	c := bits.Len(uint(cap(*b) - 1))
	if cap(*b) != 1<<c {
		return
	}
	if pooled.Add(int64(cap(*b))) > poolBytes {
		pooled.Add(-int64(cap(*b)))
		return // the garbage collector has it
	}
	p := &bufPools[c]
	p.mu.Lock()
	p.free = append(p.free, b)
	p.mu.Unlock()
}
