package source

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/flate"

	"github.com/scanner-dev/scanner/finding"
)

// decoder rebuilds the blobs of one stretch of a pack, front to back,
// keeping the bases later blobs of its stretch are deltas of.
type decoder struct {
	p     *pack
	w     *window
	refs  map[int32]int32 // blobs of the stretch still to come that are deltas of each base
	cache baseCache[int32]
	zr    io.ReadCloser
	br    bytes.Reader
	delta []byte // scratch for a delta's instructions

	// With a prefilter, the keyword hits of each object rebuilt so far.
	filter *Prefilter
	hits   map[int32][]finding.KeywordHit
	dm     deltaMap // scratch: how the last delta built its result
}

func newDecoder(p *pack, blobs []int32, filter *Prefilter) *decoder {
	d := &decoder{p: p, w: newWindow(p.f, p.size, 4<<20), refs: map[int32]int32{},
		cache: newBaseCache[int32](deltaCacheBytes), filter: filter, hits: map[int32][]finding.KeywordHit{}}
	for _, i := range blobs {
		if b := p.objs[i].base; b >= 0 {
			d.refs[b]++
		}
	}
	return d
}

// errCorruptObject marks an object whose stored bytes do not inflate or
// apply: it is counted as corrupt, not missing.
var errCorruptObject = errors.New("corrupt object")

// blob returns the content of blob i in a pooled buffer the caller owns,
// and its keyword hits when the prefilter found them.
func (d *decoder) blob(i int32) (*[]byte, keywordHits, error) {
	buf, err := d.object(i, 0)
	if err != nil {
		return nil, keywordHits{}, err
	}
	var kh keywordHits
	if d.filter != nil {
		kh.hits, kh.known = d.hits[i]
		if d.refs[i] == 0 {
			delete(d.hits, i) // no delta to come needs them
		}
	}
	if d.cache.holds(i, buf) {
		// still a base of blobs to come: hand on a copy
		out := getBuf(len(*buf))
		copy(*out, *buf)
		return out, kh, nil
	}
	return buf, kh, nil
}

// object rebuilds object i. The buffer returned is the cache's when i is
// cached (the caller must not keep or free it), else the caller's.
func (d *decoder) object(i int32, depth int) (*[]byte, error) {
	if c, ok := d.cache.get(i); ok {
		return c.buf, nil
	}
	if depth > 5000 {
		return nil, fmt.Errorf("delta chain too deep: %w", errCorruptObject)
	}
	o := &d.p.objs[i]
	var out *[]byte
	if o.size > maxInflated(o.end-o.dataAt) {
		return nil, fmt.Errorf("%d bytes from %d: %w", o.size, o.end-o.dataAt, errCorruptObject)
	}
	if o.base < 0 {
		out = getBuf(int(o.size))
		if err := d.inflate(o, *out); err != nil {
			putBuf(out)
			return nil, err
		}
		d.judge(i, *out, nil, nil)
	} else {
		base, err := d.object(o.base, depth+1)
		if err != nil {
			return nil, err
		}
		if cap(d.delta) < int(o.size) {
			d.delta = make([]byte, o.size)
		}
		delta := d.delta[:o.size]
		var m *deltaMap
		baseHits, known := d.hits[o.base] // taken now: used may forget them
		if known && d.filter != nil {
			d.dm.reset()
			m = &d.dm
		}
		if err = d.inflate(o, delta); err == nil {
			out, err = applyDelta(*base, delta, m)
		}
		d.used(o.base, base)
		if err != nil {
			return nil, err
		}
		d.judge(i, *out, m, baseHits)
	}
	if d.refs[i] > 0 {
		d.cache.keep(i, out, 0)
	}
	return out, nil
}

// judge finds the keyword hits of object i (content out), once: from its
// base's (baseHits) and what its delta changed when m is not nil, else by
// searching all of it. Binary content, which the detector is not given, is not searched:
// its hits stay unknown, and so do those of deltas of it.
func (d *decoder) judge(i int32, out []byte, m *deltaMap, baseHits []finding.KeywordHit) {
	if d.filter == nil {
		return
	}
	if _, ok := d.hits[i]; ok {
		return
	}
	if bytes.IndexByte(out[:min(len(out), sniffLen)], 0) >= 0 {
		return
	}
	if m != nil {
		d.hits[i] = d.filter.hitsAfterDelta(out, m, baseHits)
		return
	}
	d.hits[i] = d.filter.Find(out, nil)
}

// used releases base after one of its deltas was applied: a cached base
// whose last delta this was is dropped; an uncached one is freed.
func (d *decoder) used(i int32, buf *[]byte) {
	if !d.cache.holds(i, buf) {
		putBuf(buf)
		return
	}
	if n := d.refs[i] - 1; n > 0 {
		d.refs[i] = n
		return
	}
	delete(d.refs, i)
	delete(d.hits, i)
	d.cache.drop(i)
}

// release frees what the decoder still holds.
func (d *decoder) release() { d.cache.release() }

// inflate decompresses o's zlib stream into dst, which is exactly its size.
func (d *decoder) inflate(o *packObj, dst []byte) error {
	src, err := d.w.span(o.dataAt, o.end-o.dataAt)
	if err != nil {
		return err
	}
	return d.inflateFrom(src, dst)
}

// inflateFrom decompresses the zlib stream at the start of src into dst,
// which is exactly its inflated size.
func (d *decoder) inflateFrom(src, dst []byte) error {
	if !zlibHeader(src) {
		return fmt.Errorf("bad zlib header: %w", errCorruptObject)
	}
	d.br.Reset(src[2:])
	if d.zr == nil {
		d.zr = flate.NewReader(&d.br)
	} else if err := d.zr.(flate.Resetter).Reset(&d.br, nil); err != nil {
		return err
	}
	n, err := io.ReadFull(d.zr, dst)
	if err != nil {
		return fmt.Errorf("inflate: %d of %d bytes: %v: %w", n, len(dst), err, errCorruptObject)
	}
	return nil
}

// zlibHeader reports whether b starts with a zlib header git writes:
// deflate, no preset dictionary, checksummed.
func zlibHeader(b []byte) bool {
	return len(b) >= 2 && b[0]&0x0f == 8 && b[1]&0x20 == 0 && (uint16(b[0])<<8|uint16(b[1]))%31 == 0
}

// maxInflated is the most a zlib stream of n bytes can inflate to (deflate
// compresses at most about 1032 to 1).
func maxInflated(n int64) int64 { return 1040*n + 64 }
