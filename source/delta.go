package source

import "fmt"

// applyDelta rebuilds an object from its base and a git delta: the base's
// size, the result's size, then copy (from the base) and insert (literal)
// instructions. The result is in a pooled buffer. When m is not nil, it
// receives how the result was built (deltaMap).
func applyDelta(base, delta []byte, m *deltaMap) (*[]byte, error) {
	srcSize, delta, ok := deltaVarint(delta)
	if !ok || srcSize != uint64(len(base)) {
		return nil, fmt.Errorf("delta for a base of %d bytes, not %d: %w", srcSize, len(base), errCorruptObject)
	}
	dstSize, delta, ok := deltaVarint(delta)
	if !ok || dstSize > uint64(len(delta))<<24 {
		return nil, fmt.Errorf("delta: bad result size: %w", errCorruptObject)
	}
	out := getBuf(int(dstSize))
	dst := (*out)[:0]
	for len(delta) > 0 {
		cmd := delta[0]
		delta = delta[1:]
		if m != nil && len(dst) > 0 {
			m.changed = append(m.changed, stretch{len(dst), len(dst)})
		}
		switch {
		case cmd&0x80 != 0:
			var off, n uint64
			for b := range 7 {
				if cmd&(1<<b) == 0 {
					continue
				}
				if len(delta) == 0 {
					putBuf(out)
					return nil, fmt.Errorf("delta: cut short: %w", errCorruptObject)
				}
				if b < 4 {
					off |= uint64(delta[0]) << (8 * b)
				} else {
					n |= uint64(delta[0]) << (8 * (b - 4))
				}
				delta = delta[1:]
			}
			if n == 0 {
				n = 0x10000
			}
			if off+n > uint64(len(base)) || uint64(len(dst))+n > dstSize {
				putBuf(out)
				return nil, fmt.Errorf("delta: copy out of bounds: %w", errCorruptObject)
			}
			if m != nil {
				m.copies = append(m.copies, copyOp{from: int(off), to: len(dst), n: int(n)})
			}
			dst = append(dst, base[off:off+n]...)
		case cmd != 0:
			n := int(cmd)
			if n > len(delta) || uint64(len(dst)+n) > dstSize {
				putBuf(out)
				return nil, fmt.Errorf("delta: insert out of bounds: %w", errCorruptObject)
			}
			if m != nil {
				m.changed = append(m.changed, stretch{len(dst), len(dst) + n})
			}
			dst = append(dst, delta[:n]...)
			delta = delta[n:]
		default:
			putBuf(out)
			return nil, fmt.Errorf("delta: reserved instruction: %w", errCorruptObject)
		}
	}
	if uint64(len(dst)) != dstSize {
		putBuf(out)
		return nil, fmt.Errorf("delta: %d bytes, want %d: %w", len(dst), dstSize, errCorruptObject)
	}
	return out, nil
}

// stretch is the bytes [from, to) of an object.
type stretch struct{ from, to int }

// deltaVarint reads a delta header size: little-endian base-128.
func deltaVarint(b []byte) (uint64, []byte, bool) {
	var v uint64
	for i, shift := 0, uint(0); i < len(b) && shift < 64; i, shift = i+1, shift+7 {
		v |= uint64(b[i]&0x7f) << shift
		if b[i]&0x80 == 0 {
			return v, b[i+1:], true
		}
	}
	return 0, nil, false
}
