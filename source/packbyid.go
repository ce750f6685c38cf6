package source

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"os"
	"path/filepath"
	"sort"

	"github.com/klauspost/compress/flate"
)

// errNotPacked is an object none of the packs holds: git reads it (it may
// be loose, behind an alternate, or on a promisor remote).
var errNotPacked = errors.New("not in a pack")

// idPack is a pack opened for reading objects by id: its .idx as git wrote
// it, searched with positioned reads, and the pack file, read at the
// offsets the index gives. Unlike pack, it reads no object's header until
// it is asked for.
//
// The .idx is read, not mapped: a lookup touches two or three pages of a
// large index (git/git's is 17 MB) at random, and a page fault in a
// virtual machine can cost 10 µs where a read of those bytes costs 2 µs.
type idPack struct {
	path    string
	f       *os.File
	size    int64
	idxF    *os.File
	idxSize int64
	n       int
	shaAt   int64
	offAt   int64
	bigAt   int64
	fanout  [256]uint32
}

// openIDPack opens a pack and its version 2 index.
func openIDPack(idxPath string) (*idPack, error) {
	f, err := os.Open(idxPath)
	if err != nil {
		return nil, err
	}
	p := &idPack{idxF: f, path: idxPath[:len(idxPath)-len(".idx")] + ".pack"}
	if err := p.open(); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", idxPath, err)
	}
	return p, nil
}

// open checks the index and opens the pack.
func (p *idPack) open() error {
	fi, err := p.idxF.Stat()
	if err != nil {
		return err
	}
	p.idxSize = fi.Size()
	var head [8 + 256*4]byte
	if _, err := p.idxF.ReadAt(head[:], 0); err != nil ||
		!bytes.Equal(head[:4], []byte{0xff, 't', 'O', 'c'}) || binary.BigEndian.Uint32(head[4:]) != 2 {
		return fmt.Errorf("%w (not a version 2 index)", errUnsupported)
	}
	for i := range 256 {
		p.fanout[i] = binary.BigEndian.Uint32(head[8+4*i:])
		if i > 0 && p.fanout[i] < p.fanout[i-1] {
			return fmt.Errorf("fan-out table out of order: %w", errUnsupported)
		}
	}
	p.n = int(p.fanout[255])
	p.shaAt = 8 + 256*4
	p.offAt = p.shaAt + 24*int64(p.n) // ids, then a CRC each
	p.bigAt = p.offAt + 4*int64(p.n)
	if p.idxSize < p.bigAt+40 {
		return fmt.Errorf("truncated index: %w", errUnsupported)
	}
	f, err := os.Open(p.path)
	if err != nil {
		return err
	}
	if fi, err = f.Stat(); err != nil {
		f.Close()
		return err
	}
	p.f, p.size = f, fi.Size()
	return nil
}

func (p *idPack) close() {
	p.f.Close()
	p.idxF.Close()
}

// idWindow is how many ids one read of the .idx brings: ids are hashes, so
// one spread evenly over the fan-out bucket lands within a few dozen
// entries of where it is.
const idWindow = 128

// offset returns where object id starts in the pack, or -1.
func (p *idPack) offset(id []byte) int64 {
	lo, hi := 0, int(p.fanout[id[0]])
	if id[0] > 0 {
		lo = int(p.fanout[id[0]-1])
	}
	if lo >= hi {
		return -1
	}
	at, _ := bits.Mul64(binary.BigEndian.Uint64(id[1:9]), uint64(hi-lo))
	guess := lo + int(at)
	var buf [idWindow * 20]byte
	for lo < hi {
		w0 := max(lo, min(guess-idWindow/2, hi-idWindow))
		w1 := min(w0+idWindow, hi)
		names := buf[:20*(w1-w0)]
		if _, err := p.idxF.ReadAt(names, p.shaAt+20*int64(w0)); err != nil {
			return -1
		}
		k := sort.Search(w1-w0, func(k int) bool { return bytes.Compare(names[20*k:20*k+20], id) >= 0 })
		switch {
		case k < w1-w0 && bytes.Equal(names[20*k:20*k+20], id):
			return p.offsetAt(w0 + k)
		case k == 0 && w0 > lo: // before the window
			hi, guess = w0, w0-idWindow/2
		case k == w1-w0 && w1 < hi: // past it
			lo, guess = w1, w1+idWindow/2
		default:
			return -1
		}
	}
	return -1
}

// offsetAt reads the offset of the index's m-th object, from the large
// offset table when it is past 2 GiB; -1 when it cannot be read.
func (p *idPack) offsetAt(m int) int64 {
	var b [8]byte
	if _, err := p.idxF.ReadAt(b[:4], p.offAt+4*int64(m)); err != nil {
		return -1
	}
	o := int64(binary.BigEndian.Uint32(b[:4]))
	if o&0x80000000 != 0 {
		j := p.bigAt + 8*(o&0x7fffffff)
		if j+8 > p.idxSize-40 {
			return -1
		}
		if _, err := p.idxF.ReadAt(b[:], j); err != nil {
			return -1
		}
		o = int64(binary.BigEndian.Uint64(b[:]))
	}
	return o
}

// packSet is the packs of an object directory, for reading objects by id.
type packSet struct {
	packs []*idPack
}

// openPackSet opens every pack of an object directory. Objects its packs do
// not hold are errNotPacked, for git to read.
func openPackSet(dir string) (*packSet, error) {
	idxs, err := filepath.Glob(filepath.Join(dir, "pack", "*.idx"))
	if err != nil {
		return nil, err
	}
	s := &packSet{}
	for _, idx := range idxs {
		p, err := openIDPack(idx)
		if err != nil {
			s.close()
			return nil, fmt.Errorf("%w (%w)", err, errUnsupported)
		}
		s.packs = append(s.packs, p)
	}
	return s, nil
}

func (s *packSet) close() {
	for _, p := range s.packs {
		p.close()
	}
}

// find returns the pack holding id and where.
func (s *packSet) find(id []byte) (int, int64) {
	for k, p := range s.packs {
		if off := p.offset(id); off >= 0 {
			return k, off
		}
	}
	return -1, -1
}

// idKey names an object by its pack and offset.
type idKey struct {
	pack int
	off  int64
}

// idDecoder rebuilds objects by id, keeping the delta bases it rebuilt on
// the way (within idCacheBytes) for the next objects' chains. It is not
// safe for concurrent use: each goroutine has its own.
type idDecoder struct {
	set   *packSet
	cache baseCache[idKey]
	zr    io.ReadCloser
	br    *bufio.Reader
}

func newIDDecoder(set *packSet) *idDecoder {
	return &idDecoder{set: set, cache: newBaseCache[idKey](idCacheBytes),
		br: bufio.NewReaderSize(nil, 16<<10)}
}

// blob rebuilds blob id (hex) into a pooled buffer the caller owns. It
// returns errNotPacked, errNotBlob, or an error wrapping errCorruptObject or
// errBadPack.
func (d *idDecoder) blob(id string) (*[]byte, error) {
	buf, typ, err := d.any(id)
	if err != nil {
		return nil, err
	}
	if typ != objBlob {
		putBuf(buf)
		return nil, errNotBlob
	}
	return buf, nil
}

// any rebuilds object id (hex), whatever its type, into a pooled buffer the
// caller owns, and returns its type.
func (d *idDecoder) any(id string) (*[]byte, uint8, error) {
	var raw [20]byte
	if len(id) != 40 || hexDecode(raw[:], id) != nil {
		return nil, 0, errNotPacked
	}
	k, off := d.set.find(raw[:])
	if k < 0 {
		return nil, 0, errNotPacked
	}
	return d.object(idKey{k, off}, 0, true)
}

// object rebuilds the object at key and returns its real type. The buffer
// is the caller's unless the object is cached, in which case (top) a copy
// is returned when the caller keeps it, and (below the top) the cache's own.
func (d *idDecoder) object(key idKey, depth int, top bool) (*[]byte, uint8, error) {
	if c, ok := d.cache.get(key); ok {
		if !top {
			return c.buf, c.typ, nil
		}
		out := getBuf(len(*c.buf))
		copy(*out, *c.buf)
		return out, c.typ, nil
	}
	if depth > 5000 {
		return nil, 0, fmt.Errorf("delta chain too deep: %w", errCorruptObject)
	}
	p := d.set.packs[key.pack]
	h, err := d.header(p, key.off)
	if err != nil {
		return nil, 0, err
	}
	if h.size > maxInflated(p.size-key.off) {
		return nil, 0, fmt.Errorf("%d bytes at %d: %w", h.size, key.off, errCorruptObject)
	}
	switch h.kind {
	case objCommit, objTree, objBlob, objTag:
		out := getBuf(int(h.size))
		if err := d.inflate(*out); err != nil {
			putBuf(out)
			return nil, 0, err
		}
		return out, h.kind, nil
	}
	base := idKey{key.pack, key.off - h.rel}
	if h.kind == objRefDelta {
		if base.pack, base.off = d.set.find(h.ref); base.pack < 0 {
			return nil, 0, fmt.Errorf("object at %d: delta base outside the packs: %w", key.off, errNotPacked)
		}
	}
	return d.applyTo(base, h, depth)
}

// applyTo rebuilds a delta (header h, its stream next in d.br) from its
// base, which it keeps cached for other deltas of it.
func (d *idDecoder) applyTo(base idKey, h objHeader, depth int) (*[]byte, uint8, error) {
	// inflated before the base, whose chain reads through d.br too
	delta := getBuf(int(h.size))
	defer putBuf(delta)
	if err := d.inflate(*delta); err != nil {
		return nil, 0, err
	}
	b, typ, err := d.object(base, depth+1, false)
	if err != nil {
		return nil, 0, err
	}
	if !d.cache.holds(base, b) {
		d.cache.keep(base, b, typ)
	}
	out, err := applyDelta(*b, *delta, nil)
	if err != nil {
		return nil, 0, err
	}
	return out, typ, nil
}

// header reads the header of the object at off and leaves d.br at its
// zlib stream.
func (d *idDecoder) header(p *idPack, off int64) (objHeader, error) {
	if off < 12 || off >= p.size-20 {
		return objHeader{}, fmt.Errorf("object at %d: outside the pack: %w", off, errBadPack)
	}
	d.br.Reset(io.NewSectionReader(p.f, off, p.size-20-off))
	hdr, err := d.br.Peek(min(32, int(p.size-20-off)))
	if err != nil && len(hdr) == 0 {
		return objHeader{}, err
	}
	h, err := readObjHeader(off, hdr)
	if err != nil {
		return h, err
	}
	_, _ = d.br.Discard(h.len)
	return h, nil
}

// inflate decompresses the zlib stream at d.br into dst, exactly its size.
func (d *idDecoder) inflate(dst []byte) error {
	if head, err := d.br.Peek(2); err != nil || !zlibHeader(head) {
		return fmt.Errorf("bad zlib header: %w", errCorruptObject)
	}
	_, _ = d.br.Discard(2)
	if d.zr == nil {
		d.zr = flate.NewReader(d.br)
	} else if err := d.zr.(flate.Resetter).Reset(d.br, nil); err != nil {
		return err
	}
	if n, err := io.ReadFull(d.zr, dst); err != nil {
		return fmt.Errorf("inflate: %d of %d bytes: %v: %w", n, len(dst), err, errCorruptObject)
	}
	return nil
}

// close frees what the decoder still holds.
func (d *idDecoder) close() {
	d.cache.release()
	if d.zr != nil {
		d.zr.Close()
	}
}

// hexDecode decodes a 40-digit hex id into dst without allocating.
func hexDecode(dst []byte, s string) error {
	for i := range dst {
		hi, ok1 := unhex(s[2*i])
		lo, ok2 := unhex(s[2*i+1])
		if !ok1 || !ok2 {
			return errNotPacked
		}
		dst[i] = hi<<4 | lo
	}
	return nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
