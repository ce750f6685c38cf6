package source

import "container/list"

// deltaCacheBytes bounds the delta bases one decoder of a whole pack keeps
// inflated. A base pushed out is rebuilt when a later delta needs it, so the
// bound costs time, never correctness. (Variables so that a test can make
// them tiny.)
var deltaCacheBytes int64 = 16 << 20

// idCacheBytes bounds the bases a decoder of single objects keeps (a
// range's blobs, a tree walk). Its memory comes from the huge-page arena
// (arena_linux.go), so a larger cache no longer costs a fault per page:
// git/git, HEAD~100..HEAD inflated 20.7 MB with 16 MiB against 31.9 MB with
// 4 MiB, 0.245 s against 0.277 s (64 MiB: the same as 16).
var idCacheBytes int64 = 16 << 20

// baseCache holds rebuilt delta bases, keyed by K (a position in a pack, or
// a pack and offset), within limit bytes: past it the least recently used
// are freed. It owns the buffers it holds.
type baseCache[K comparable] struct {
	m     map[K]*cached
	lru   *list.List
	bytes int64
	limit int64
}

type cached struct {
	buf *[]byte
	el  *list.Element
	typ uint8 // the object's real type
}

func newBaseCache[K comparable](limit int64) baseCache[K] {
	return baseCache[K]{m: map[K]*cached{}, lru: list.New(), limit: limit}
}

// get returns the base at k, as the most recently used, if it is held.
func (c *baseCache[K]) get(k K) (*cached, bool) {
	e, ok := c.m[k]
	if ok {
		c.lru.MoveToFront(e.el)
	}
	return e, ok
}

// holds reports whether buf is the buffer held for k.
func (c *baseCache[K]) holds(k K, buf *[]byte) bool {
	e, ok := c.m[k]
	return ok && e.buf == buf
}

// keep takes buf over as the base at k, then frees the least recently used
// bases past the bound (never the one just kept).
func (c *baseCache[K]) keep(k K, buf *[]byte, typ uint8) {
	c.m[k] = &cached{buf: buf, el: c.lru.PushFront(k), typ: typ}
	c.bytes += int64(cap(*buf))
	for c.bytes > c.limit && c.lru.Len() > 1 {
		c.drop(c.lru.Back().Value.(K))
	}
}

// drop frees the base at k, if it is held.
func (c *baseCache[K]) drop(k K) {
	e, ok := c.m[k]
	if !ok {
		return
	}
	delete(c.m, k)
	c.lru.Remove(e.el)
	c.bytes -= int64(cap(*e.buf))
	putBuf(e.buf)
}

// release frees every base held.
func (c *baseCache[K]) release() {
	for k := range c.m {
		c.drop(k)
	}
}
