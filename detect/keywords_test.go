package detect

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/scanner-dev/scanner/rules"
)

// naiveHits is the obvious quadratic search the keyword set must agree with.
func naiveHits(words []string, data []byte) []hit {
	low := make([]byte, len(data)) // ASCII-only folding: bytes.ToLower rewrites invalid UTF-8
	for i, b := range data {
		low[i] = lowerTable[b]
	}
	var out []hit
	for i := range low {
		for wi, w := range words {
			if bytes.HasPrefix(low[i:], []byte(w)) {
				out = append(out, hit{kw: int32(wi), pos: int32(i)})
			}
		}
	}
	return out
}

func sortHits(h []hit) []hit {
	slices.SortFunc(h, func(a, b hit) int {
		if a.pos != b.pos {
			return int(a.pos - b.pos)
		}
		return int(a.kw - b.kw)
	})
	return h
}

func TestKeywordSetMatchesNaiveSearch(t *testing.T) {
	for _, c := range []struct {
		name     string
		words    []string
		alphabet string
	}{
		// a two-letter keyword: the set gates on two bytes
		{"pair gate", []string{"crisp", "cr", "basic", "bearer", "set_tier", "settier", "be"}, "crispCRISPbasicBEARERset_tier "},
		// every keyword four bytes or more: the set gates on four; '\x7f'
		// folds onto '_' in the gate and must still not match it
		{"quad gate", []string{"crisp", "basic", "bearer", "set_tier", "settier", "auth\"", "_auth", "<server>"},
			"crispCRISPbasicBEARERset_tier \x7f\"<>auth_AUTH"},
	} {
		t.Run(c.name, func(t *testing.T) {
			k := newKeywordSet(c.words)
			if want := c.name == "quad gate"; k.quad != want {
				t.Fatalf("quad = %v, want %v", true, want)
			}
			r := rand.New(rand.NewPCG(1, 2))
			for n := 0; n < 2000; n++ {
				data := make([]byte, r.IntN(200))
				for i := range data {
					data[i] = c.alphabet[r.IntN(len(c.alphabet))]
				}
				got := sortHits(k.find(data, nil))
				want := sortHits(naiveHits(k.words, data))
				if !slices.Equal(got, want) {
					t.Fatalf("data %q: got %v want %v", data, got, want)
				}
			}
		})
	}
}

func TestKeywordSetIgnoresCase(t *testing.T) {
	k := newKeywordSet([]string{"X-Crisp-Tier"})
	got := k.find([]byte("header x-CRISP-tier: plugin"), nil)
	if len(got) != 1 || got[0].pos != 7 {
		t.Fatalf("got %v, want one hit at 7", got)
	}
}

func FuzzKeywordSet(f *testing.F) {
	f.Add([]byte("Authorization: Basic abc crisp"), "basic")
	f.Add([]byte("CRISPcrisp"), "crisp")
	f.Fuzz(func(t *testing.T, data []byte, word string) {
		if len(word) < 2 {
			return
		}
		words := []string{string(bytes.ToLower([]byte(word)))}
		got := sortHits(newKeywordSet(words).find(data, nil))
		want := sortHits(naiveHits(words, data))
		if !slices.Equal(got, want) {
			t.Fatalf("got %v want %v", got, want)
		}
	})
}

func BenchmarkKeywordFind(b *testing.B) {
	d := New(rules.MustDefault())
	plain := benchCorpus(b, 64<<20)
	size := 0
	for _, w := range plain {
		size += len(w)
	}
	b.SetBytes(int64(size))
	n := 0
	for b.Loop() {
		n = 0
		for _, w := range plain {
			n += len(d.keywords.find(w, nil))
		}
	}
	b.ReportMetric(float64(n), "hits")
}
