package source

import (
	"slices"

	"github.com/scanner-dev/scanner/finding"
)

// Prefilter is the detector's keyword search lent to a history read (see
// detect.Detector.KeywordSearch). Most blobs of a history are deltas of
// others: a delta's keyword hits follow from its base's and from a search of
// only what the delta changed, far less than the whole blob. Chunks whose
// hits are so found carry them (finding.Chunk.Hits), and the detector does
// not search again.
type Prefilter struct {
	// Find appends every keyword occurrence in data to out.
	Find func(data []byte, out []finding.KeywordHit) []finding.KeywordHit
	// Reach is the longest keyword's length in bytes.
	Reach int
}

// keywordHits are a blob's keyword hits, when known.
type keywordHits struct {
	hits  []finding.KeywordHit
	known bool
}

// deltaMap is how a delta built its result: each copy from the base, and the
// stretches that did not come whole from one copy (each insert, and each
// seam between two instructions, as an empty stretch).
type deltaMap struct {
	copies  []copyOp
	changed []stretch
}

// copyOp says base[from:from+n] became result[to:to+n].
type copyOp struct{ from, to, n int }

func (m *deltaMap) reset() {
	m.copies, m.changed = m.copies[:0], m.changed[:0]
}

// hitsAfterDelta returns every keyword hit of out, which a delta (m) rebuilt
// from a base whose hits are base (sorted by position). A keyword that lies
// inside one copy was in the base and moves with it; any other overlaps a
// changed stretch, and is found by searching the changed stretches, each
// widened by Reach-1 bytes on both sides to take in a keyword across its
// edge. The result is sorted by position, then keyword.
func (p *Prefilter) hitsAfterDelta(out []byte, m *deltaMap, base []finding.KeywordHit) []finding.KeywordHit {
	var hits []finding.KeywordHit
	for _, c := range m.copies {
		i, _ := slices.BinarySearchFunc(base, int32(c.from), func(h finding.KeywordHit, pos int32) int { return int(h.Pos - pos) })
		for ; i < len(base) && int(base[i].Pos) < c.from+c.n; i++ {
			if h := base[i]; int(h.Pos)+int(h.Len) <= c.from+c.n {
				h.Pos = int32(c.to + int(h.Pos) - c.from)
				hits = append(hits, h)
			}
		}
	}
	r := max(p.Reach-1, 0)
	lo, hi := -1, -1
	search := func() {
		if lo < 0 {
			return
		}
		for _, h := range p.Find(out[lo:hi], nil) {
			h.Pos += int32(lo)
			hits = append(hits, h)
		}
	}
	for _, c := range m.changed {
		from, to := max(0, c.from-r), min(len(out), c.to+r)
		if lo >= 0 && from <= hi {
			hi = max(hi, to)
			continue
		}
		search()
		lo, hi = from, to
	}
	search()
	slices.SortFunc(hits, func(a, b finding.KeywordHit) int {
		if a.Pos != b.Pos {
			return int(a.Pos - b.Pos)
		}
		return int(a.Word - b.Word)
	})
	// a keyword inside a copy and also inside a widened stretch is found twice
	return slices.CompactFunc(hits, func(a, b finding.KeywordHit) bool { return a.Pos == b.Pos && a.Word == b.Word })
}
