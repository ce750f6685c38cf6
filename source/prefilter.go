package source

// Prefilter is a keyword test a detector lends a history read (see
// detect.Detector.KeywordFilter). Content it proves keyword-free is sent
// with finding.Chunk.NoKeywords set, and the detector skips its own keyword
// search there. Most blobs of a history are deltas of others: when the base
// is keyword-free only what the delta changed needs testing, which makes the
// test far cheaper than the search it replaces.
type Prefilter struct {
	// Has reports whether data holds a keyword.
	Has func(data []byte) bool
	// Reach is the longest keyword's length in bytes.
	Reach int
}

// free reports whether content with no delta base is keyword-free.
func (p *Prefilter) free(out []byte) bool { return !p.Has(out) }

// freeAfterDelta reports whether out, rebuilt by a delta from a keyword-free
// base, is keyword-free too. A keyword that lies inside one copy instruction
// was in the base, so only the changed stretches (inserts, and the seams
// between instructions) need testing, each widened by Reach-1 bytes on both
// sides to take in a keyword that crosses its edge.
func (p *Prefilter) freeAfterDelta(out []byte, changed []stretch) bool {
	r := max(p.Reach-1, 0)
	lo, hi := -1, -1
	for _, c := range changed {
		from, to := max(0, c.from-r), min(len(out), c.to+r)
		if lo >= 0 && from <= hi {
			hi = max(hi, to)
			continue
		}
		if lo >= 0 && p.Has(out[lo:hi]) {
			return false
		}
		lo, hi = from, to
	}
	return lo < 0 || !p.Has(out[lo:hi])
}
