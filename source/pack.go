package source

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// packObj is what the first pass over a pack learns of one object from its
// header alone, without inflating anything.
type packObj struct {
	dataAt int64 // where its zlib stream starts
	end    int64 // where the next object starts
	size   int64 // inflated size: the content's, or the delta's for deltas
	base   int32 // position of its delta base, -1 for whole objects
	kind   uint8 // type as stored (objOfsDelta, objRefDelta, or the real type)
	typ    uint8 // real type, through the delta chain (0 until resolved)
}

// pack is one pack file opened for reading, with its objects' headers.
type pack struct {
	path string
	f    *os.File
	size int64
	ix   *packIndex
	objs []packObj
}

// openPack opens a pack and its index and reads every object's header.
func openPack(idxPath string) (*pack, error) {
	ix, err := readPackIndex(idxPath)
	if err != nil {
		return nil, err
	}
	path := idxPath[:len(idxPath)-len(".idx")] + ".pack"
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	p := &pack{path: path, f: f, size: fi.Size(), ix: ix}
	if err := p.readHeaders(); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

func (p *pack) close() { p.f.Close() }

// errBadPack is a pack whose structure (not one object's content) is wrong.
var errBadPack = errors.New("malformed pack")

// readHeaders parses every object's header in offset order, then follows
// delta chains to learn each object's real type.
func (p *pack) readHeaders() error {
	w := newWindow(p.f, p.size, 1<<20)
	head, err := w.span(0, 12)
	if err != nil || string(head[:4]) != "PACK" {
		return fmt.Errorf("no pack header: %w", errBadPack)
	}
	if v := binary.BigEndian.Uint32(head[4:]); v != 2 && v != 3 {
		return fmt.Errorf("pack version %d: %w", v, errUnsupported)
	}
	n := p.ix.count
	p.objs = make([]packObj, n)
	for i := range n {
		end := p.size - 20
		if i+1 < n {
			end = p.ix.offs[i+1]
		}
		off := p.ix.offs[i]
		hdr, err := w.span(off, min(end-off, 32))
		if err != nil {
			return err
		}
		o, err := p.parseHeader(i, off, hdr)
		if err != nil {
			return err
		}
		o.end = end
		p.objs[i] = o
	}
	for i := range p.objs {
		p.resolveType(i, 0)
	}
	return nil
}

// parseHeader reads the type, size and delta base of the object at off.
func (p *pack) parseHeader(i int, off int64, hdr []byte) (packObj, error) {
	h, err := readObjHeader(off, hdr)
	o := packObj{base: -1, kind: h.kind, size: h.size, dataAt: off + int64(h.len)}
	if err != nil {
		return o, err
	}
	switch h.kind {
	case objCommit, objTree, objBlob, objTag:
		o.typ = h.kind
	case objOfsDelta:
		b := p.ix.at(off - h.rel)
		if b < 0 || b >= i {
			return o, fmt.Errorf("object at %d: no delta base at %d: %w", off, off-h.rel, errBadPack)
		}
		o.base = int32(b)
	case objRefDelta:
		b := p.ix.find(h.ref)
		if b < 0 {
			// a thin pack's base lives elsewhere: leave it to git
			return o, fmt.Errorf("object at %d: delta base outside the pack: %w", off, errUnsupported)
		}
		o.base = int32(b)
	}
	return o, nil
}

// objHeader is an object's header in a pack: its stored type, inflated
// size, the header's length, and its delta base (offset back, or id).
type objHeader struct {
	kind uint8
	size int64
	len  int
	rel  int64  // objOfsDelta: the base is this many bytes before
	ref  []byte // objRefDelta: the base's id
}

// readObjHeader parses the header of the object at off from hdr, its first
// bytes.
func readObjHeader(off int64, hdr []byte) (objHeader, error) {
	var h objHeader
	bad := func(what string) (objHeader, error) {
		return h, fmt.Errorf("object at %d: %s: %w", off, what, errBadPack)
	}
	if len(hdr) == 0 {
		return bad("empty")
	}
	c := hdr[0]
	h.kind, h.size = (c>>4)&7, int64(c&15)
	k, shift := 1, uint(4)
	for c&0x80 != 0 {
		if k >= len(hdr) || shift > 56 {
			return bad("header")
		}
		c = hdr[k]
		k++
		h.size |= int64(c&0x7f) << shift
		shift += 7
	}
	switch h.kind {
	case objCommit, objTree, objBlob, objTag:
	case objOfsDelta:
		if k >= len(hdr) {
			return bad("delta offset")
		}
		c = hdr[k]
		k++
		h.rel = int64(c & 0x7f)
		for c&0x80 != 0 {
			if k >= len(hdr) || h.rel > 1<<55 {
				return bad("delta offset")
			}
			c = hdr[k]
			k++
			h.rel = (h.rel+1)<<7 | int64(c&0x7f)
		}
		if h.rel <= 0 || h.rel > off {
			return bad("delta offset")
		}
	case objRefDelta:
		if k+20 > len(hdr) {
			return bad("delta base id")
		}
		h.ref = append([]byte(nil), hdr[k:k+20]...) // hdr is a window that moves on
		k += 20
	default:
		return bad(fmt.Sprintf("type %d", h.kind))
	}
	h.len = k
	return h, nil
}

// resolveType follows i's delta chain to the whole object at its end.
func (p *pack) resolveType(i int, depth int) uint8 {
	o := &p.objs[i]
	if o.typ != 0 || depth > 10000 {
		return o.typ
	}
	o.typ = p.resolveType(int(o.base), depth+1)
	return o.typ
}

// window reads a file through one buffer, forward: asking for a span at or
// after the buffered one refills it from there; a span behind it is read on
// its own (into spare) without losing the buffer.
type window struct {
	f     io.ReaderAt
	size  int64
	buf   []byte
	at    int64 // file offset of buf[0]
	spare []byte
}

func newWindow(f io.ReaderAt, size int64, n int) *window {
	return &window{f: f, size: size, buf: make([]byte, 0, n), at: -1}
}

// span returns the bytes [off, off+n) of the file, valid until the next call.
func (w *window) span(off, n int64) ([]byte, error) {
	if off < 0 || n < 0 || off+n > w.size {
		return nil, fmt.Errorf("read at %d+%d past the end (%d): %w", off, n, w.size, errBadPack)
	}
	if w.at >= 0 && off >= w.at && off+n <= w.at+int64(len(w.buf)) {
		return w.buf[off-w.at : off-w.at+n], nil
	}
	if n > int64(cap(w.buf)) || (w.at >= 0 && off < w.at) {
		return w.readSpare(off, n)
	}
	w.buf = w.buf[:min(int64(cap(w.buf)), w.size-off)]
	if _, err := w.f.ReadAt(w.buf, off); err != nil && !errors.Is(err, io.EOF) {
		w.at = -1
		return nil, err
	}
	w.at = off
	return w.buf[:n], nil
}

func (w *window) readSpare(off, n int64) ([]byte, error) {
	if int64(cap(w.spare)) < n {
		w.spare = make([]byte, n)
	}
	b := w.spare[:n]
	if _, err := w.f.ReadAt(b, off); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return b, nil
}
