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
