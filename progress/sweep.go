package progress

import (
	"fmt"
	"io"
)

// SweepBar is the one-line display of a sweep of many repositories on a
// terminal: how many are done, the bytes scanned and the findings so far.
// Its calls must not overlap (a sweep reports finished repositories one at
// a time), so it holds no lock. With On false it only counts.
type SweepBar struct {
	W           io.Writer
	On          bool
	bytes, hits int64
}

// Done counts a finished repository (n of total) with the bytes it scanned
// and its findings, and redraws the line.
func (p *SweepBar) Done(n, total int, bytes int64, findings int) {
	p.bytes += bytes
	p.hits += int64(findings)
	if p.On {
		fmt.Fprintf(p.W, "\r\033[Ksweep: %d/%d repositories, %s scanned, %d findings", n, total, Size(p.bytes), p.hits)
	}
}

// Finish ends the line.
func (p *SweepBar) Finish() {
	if p.On {
		fmt.Fprintln(p.W)
	}
}
