package source

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/scanner-dev/scanner/finding"
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

// naiveFind is the keyword search the property test lends: every
// case-insensitive occurrence of each word, by position then word.
func naiveFind(words []string) func([]byte, []finding.KeywordHit) []finding.KeywordHit {
	return func(data []byte, out []finding.KeywordHit) []finding.KeywordHit {
		low := bytes.ToLower(data)
		for i := range low {
			for w, word := range words {
				if bytes.HasPrefix(low[i:], []byte(word)) {
					out = append(out, finding.KeywordHit{Pos: int32(i), Len: int32(len(word)), Word: int32(w)})
				}
			}
		}
		return out
	}
}

// A delta's keyword hits, derived from its base's and a search of what the
// delta changed, are exactly a full search's, wherever the delta puts a
// keyword: inside a copy, in an insert, across the seam of an insert and a
// copy, or across two copies.
func TestHitsAfterDeltaAgreeWithAFullSearch(t *testing.T) {
	words := []string{"crisp", "set_tier", "bearer", "sp"}
	p := &Prefilter{Find: naiveFind(words), Reach: len("set_tier")}
	r := rand.New(rand.NewPCG(3, 4))
	// pieces of keywords, so that copies and inserts can join them across a
	// seam, and whole keywords, so that bases have hits to carry
	pieces := []string{"c", "cr", "cri", "risp", "isp", "sp", "p", "CRI", "SP", "set", "set_", "_tier", "tier",
		"r", "bea", "rer", "earer", " ", "\n", "x", "crisp", "BEARER"}
	text := func(n int) []byte {
		var b []byte
		for len(b) < n {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		return b
	}
	moved, found := 0, 0
	for range 5000 {
		base := text(20 + r.IntN(60))
		var ops []deltaOp
		for range 1 + r.IntN(6) {
			if r.IntN(2) == 0 {
				ops = append(ops, deltaOp{lit: text(1 + r.IntN(10))})
				continue
			}
			off := r.IntN(len(base))
			ops = append(ops, deltaOp{off: off, n: 1 + r.IntN(min(len(base)-off, 16))})
		}
		var m deltaMap
		out, err := applyDelta(base, encodeDelta(len(base), ops), &m)
		if err != nil {
			t.Fatal(err)
		}
		got := p.hitsAfterDelta(*out, &m, p.Find(base, nil))
		want := p.Find(*out, nil)
		if !slices.Equal(got, want) {
			t.Fatalf("base %q, ops %+v: result %q: derived hits %v, a full search finds %v", base, ops, *out, got, want)
		}
		found += len(want)
		for _, c := range m.copies { // hits that a copy carried whole
			for _, h := range want {
				if int(h.Pos) >= c.to && int(h.Pos+h.Len) <= c.to+c.n {
					moved++
				}
			}
		}
	}
	if found < 2000 || moved < 500 {
		t.Fatalf("%d hits, %d carried by copies: the test does not test", found, moved)
	}
}
