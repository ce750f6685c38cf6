package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/mattn/go-isatty"
)

// Counts is what a scan has done so far.
type Counts struct {
	Commits int64 // commits walked (0: not shown)
	Blobs   int64 // blobs or files scanned
	Bytes   int64 // bytes scanned
}

// Counter holds Counts that many goroutines add to at once.
type Counter struct {
	commits, blobs, bytes atomic.Int64
}

// Add counts blobs more blobs of bytes bytes in all.
func (c *Counter) Add(blobs, bytes int64) {
	c.blobs.Add(blobs)
	c.bytes.Add(bytes)
}

// AddCommits counts n more commits.
func (c *Counter) AddCommits(n int64) { c.commits.Add(n) }

// Counts returns the counts so far; use it as the poll function of Start.
func (c *Counter) Counts() Counts {
	return Counts{Commits: c.commits.Load(), Blobs: c.blobs.Load(), Bytes: c.bytes.Load()}
}

// DefaultInterval is the time between repaints, and before the first one:
// a scan that ends sooner shows nothing.
const DefaultInterval = 500 * time.Millisecond

// Options change how progress is shown. The zero value is ready to use.
type Options struct {
	// Disabled shows nothing (--no-progress).
	Disabled bool
	// Always paints even when the writer is not a terminal (--progress
	// always); Disabled still wins.
	Always bool
	// Label starts the line (default "scanning"); control characters are
	// dropped from it.
	Label string
	// Interval is the time between repaints (default DefaultInterval).
	Interval time.Duration
	// Now and Tick replace the clock and the ticker in tests. Tick returns
	// a channel of ticks, each carrying the time it fires, and a function
	// that stops them.
	Now  func() time.Time
	Tick func(time.Duration) (<-chan time.Time, func())
}

// Meter paints progress until Stop. Its methods are safe for concurrent use;
// a nil *Meter does nothing.
type Meter struct {
	w       io.Writer
	poll    func() Counts
	label   string
	now     func() time.Time
	start   time.Time
	done    chan struct{}
	exited  chan struct{}
	stop    sync.Once
	mu      sync.Mutex // guards painted and writes to w
	painted bool       // a progress line is on the screen
}

// Start shows progress on w, polling poll at every tick, when w is a
// terminal (see IsTerminal) or opts.Always is set, and opts.Disabled is not;
// otherwise it returns nil, which does nothing. Call Stop when the scan ends.
func Start(w io.Writer, poll func() Counts, opts Options) *Meter {
	if opts.Disabled || poll == nil || (!opts.Always && !IsTerminal(w)) {
		return nil
	}
	m := &Meter{w: w, poll: poll, label: opts.Label, now: opts.Now,
		done: make(chan struct{}), exited: make(chan struct{})}
	m.label = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1 // a label with "\r" or an escape would garble the line
		}
		return r
	}, m.label)
	if m.label == "" {
		m.label = "scanning"
	}
	if m.now == nil {
		m.now = time.Now
	}
	interval := opts.Interval
	if interval <= 0 {
		interval = DefaultInterval
	}
	tick := opts.Tick
	if tick == nil {
		tick = realTicker
	}
	m.start = m.now()
	ticks, stopTicks := tick(interval)
	go m.loop(ticks, stopTicks)
	return m
}

func realTicker(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTicker(d)
	return t.C, t.Stop
}

func (m *Meter) loop(ticks <-chan time.Time, stopTicks func()) {
	defer close(m.exited)
	defer stopTicks()
	for {
		select {
		case <-m.done:
			return
		case t := <-ticks:
			m.paint(t)
		}
	}
}

// paint writes the progress line over the previous one, as of the tick at.
func (m *Meter) paint(at time.Time) {
	line := Line(m.label, m.poll(), at.Sub(m.start))
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := io.WriteString(m.w, "\r"+line+"\x1b[K"); err == nil {
		m.painted = true
	}
}

// Stop stops painting and clears the line, leaving the cursor at the start
// of an empty line. It returns once nothing more will be painted; calling it
// again does nothing.
func (m *Meter) Stop() {
	if m == nil {
		return
	}
	m.stop.Do(func() {
		close(m.done)
		<-m.exited
		m.mu.Lock()
		defer m.mu.Unlock()
		m.clear()
	})
}

// clear erases a painted line; m.mu is held.
func (m *Meter) clear() {
	if m.painted {
		_, _ = io.WriteString(m.w, "\r\x1b[K")
		m.painted = false
	}
}

// Writer returns a writer for log lines that share the terminal with the
// progress line: each write first clears the progress line, which the next
// tick repaints below the log line. With a nil Meter it returns w.
func (m *Meter) Writer(w io.Writer) io.Writer {
	if m == nil {
		return w
	}
	return logWriter{m: m, w: w}
}

type logWriter struct {
	m *Meter
	w io.Writer
}

func (l logWriter) Write(p []byte) (int, error) {
	l.m.mu.Lock()
	defer l.m.mu.Unlock()
	l.m.clear()
	return l.w.Write(p)
}

// IsTerminal reports whether progress can be painted on w: a terminal
// (not TERM=dumb, which cannot clear a line), or a writer that says it is
// one with an IsTerminal() bool method.
func IsTerminal(w io.Writer) bool {
	switch t := w.(type) {
	case interface{ IsTerminal() bool }:
		return t.IsTerminal()
	case *os.File:
		fd := t.Fd()
		return (isatty.IsTerminal(fd) || isatty.IsCygwinTerminal(fd)) && os.Getenv("TERM") != "dumb"
	}
	return false
}

// Line formats one progress line: "scanning: 1,204 commits, 13,580 blobs,
// 1.2 GiB, 45.1 MiB/s, 1m07s". It holds numbers only.
func Line(label string, c Counts, elapsed time.Duration) string {
	var b strings.Builder
	b.WriteString(label)
	b.WriteString(": ")
	if c.Commits > 0 {
		fmt.Fprintf(&b, "%s commits, ", group(c.Commits))
	}
	fmt.Fprintf(&b, "%s blobs, %s", group(c.Blobs), Size(c.Bytes))
	if secs := elapsed.Seconds(); secs >= 0.1 {
		fmt.Fprintf(&b, ", %s/s", Size(int64(float64(c.Bytes)/secs)))
	}
	b.WriteString(", ")
	b.WriteString(Elapsed(elapsed))
	return b.String()
}

// group writes n with thousands separators: 1234567 -> "1,234,567".
func group(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Size formats a byte count in powers of 1024: "512 B", "3.4 KiB",
// "1.2 GiB".
func Size(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, i := float64(n), -1
	for v >= unit && i < 5 {
		v /= unit
		i++
	}
	return fmt.Sprintf("%.1f %ciB", v, "KMGTPE"[i])
}

// Elapsed formats a duration to the second: "7s", "1m07s", "2h03m09s".
func Elapsed(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	return fmt.Sprintf("%dh%02dm%02ds", s/3600, s/60%60, s%60)
}
