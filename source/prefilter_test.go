package source

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// deltaOp is one instruction of a delta built by a test: a copy of
// base[off:off+n], or an insert of lit.
type deltaOp struct {
	off, n int
	lit    []byte
}

// encodeDelta writes ops in git's delta format for a base of baseSize bytes.
func encodeDelta(baseSize int, ops []deltaOp) []byte {
	varint := func(b []byte, v int) []byte {
		for v >= 0x80 {
			b = append(b, byte(v)|0x80)
			v >>= 7
		}
		return append(b, byte(v))
	}
	size := 0
	for _, o := range ops {
		size += o.n + len(o.lit)
	}
	out := varint(varint(nil, baseSize), size)
	for _, o := range ops {
		if o.lit != nil {
			out = append(append(out, byte(len(o.lit))), o.lit...)
			continue
		}
		cmd, args := byte(0x80), []byte{}
		for b := range 4 {
			if v := byte(o.off >> (8 * b)); v != 0 {
				cmd |= 1 << b
				args = append(args, v)
			}
		}
		for b := range 3 {
			if v := byte(o.n >> (8 * b)); v != 0 {
				cmd |= 1 << (4 + b)
				args = append(args, v)
			}
		}
		out = append(append(out, cmd), args...)
	}
	return out
}

// A delta of a keyword-free base is judged keyword-free exactly when the
// result holds no keyword, wherever the delta puts one: in an insert,
// across the seam of an insert and a copy, or across two copies.
func TestFreeAfterDeltaAgreesWithAFullSearch(t *testing.T) {
	words := [][]byte{[]byte("crisp"), []byte("set_tier"), []byte("bearer")}
	has := func(data []byte) bool {
		low := bytes.ToLower(data)
		for _, w := range words {
			if bytes.Contains(low, w) {
				return true
			}
		}
		return false
	}
	p := &Prefilter{Has: has, Reach: len("set_tier")}
	r := rand.New(rand.NewPCG(3, 4))
	// pieces of keywords, so that copies and inserts can join them across a
	// seam; the base may hold pieces but never a whole keyword
	pieces := []string{"c", "cr", "cri", "risp", "isp", "sp", "p", "CRI", "SP", "set", "set_", "_tier", "tier", "r", "bea", "rer", "earer", " ", "\n", "x"}
	text := func(n int) []byte {
		var b []byte
		for len(b) < n {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		return b
	}
	clean := func(n int) []byte {
		for {
			if b := text(n); !has(b) {
				return b
			}
		}
	}
	agreed, dirty := 0, 0
	for range 5000 {
		base := clean(20 + r.IntN(60))
		var ops []deltaOp
		for range 1 + r.IntN(6) {
			if r.IntN(2) == 0 {
				ops = append(ops, deltaOp{lit: text(1 + r.IntN(10))})
				continue
			}
			off := r.IntN(len(base))
			ops = append(ops, deltaOp{off: off, n: 1 + r.IntN(min(len(base)-off, 12))})
		}
		var changed []stretch
		out, err := applyDelta(base, encodeDelta(len(base), ops), &changed)
		if err != nil {
			t.Fatal(err)
		}
		got, want := p.freeAfterDelta(*out, changed), !has(*out)
		if got != want {
			t.Fatalf("base %q, ops %+v: result %q judged free=%v, a full search says %v", base, ops, *out, got, want)
		}
		agreed++
		if !want {
			dirty++
		}
	}
	if dirty < 300 {
		t.Fatalf("only %d of %d results held a keyword: the test does not test", dirty, agreed)
	}
}
