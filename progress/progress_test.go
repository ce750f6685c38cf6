package progress

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// term is a buffer that says it is a terminal.
type term struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (t *term) IsTerminal() bool { return true }

func (t *term) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.Write(p)
}

func (t *term) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}

// fakeClock is a clock the test moves, and a ticker the test fires. The
// tick channel is unbuffered: a send returns once the meter has taken the
// tick, which it does only after painting the previous one.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	ticks   chan time.Time
	stopped bool
	every   time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), ticks: make(chan time.Time)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Tick(d time.Duration) (<-chan time.Time, func()) {
	c.every = d
	return c.ticks, func() { c.mu.Lock(); c.stopped = true; c.mu.Unlock() }
}

// paints waits until the terminal shows n paints (or clears): the meter
// paints after taking a tick, so the test waits for the paint itself before
// it changes the counts again. It waits for an event, not for a time.
func paints(t *testing.T, w interface{ String() string }, n int) {
	t.Helper()
	for i := 0; strings.Count(w.String(), "\x1b[K") < n; i++ {
		if i == 10000 {
			t.Fatalf("no paint %d after 10 s: %q", n, w.String())
		}
		time.Sleep(time.Millisecond)
	}
}

// advance moves the clock and fires one tick.
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	now := c.now
	c.mu.Unlock()
	c.ticks <- now
}

func TestMeterPaintsUpdatesAndClears(t *testing.T) {
	var w term
	clock := newFakeClock()
	var n Counter
	m := Start(&w, n.Counts, Options{Now: clock.Now, Tick: clock.Tick})
	if m == nil {
		t.Fatal("Start on a terminal returned nil")
	}
	if clock.every != DefaultInterval || DefaultInterval > time.Second {
		t.Fatalf("ticker every %v, want %v (first paint within a second)", clock.every, DefaultInterval)
	}
	n.AddCommits(3)
	n.Add(1200, 3<<20)
	clock.advance(2 * time.Second)
	paints(t, &w, 1)
	n.Add(34, 1<<20)
	clock.advance(2 * time.Second)
	paints(t, &w, 2)
	m.Stop()
	m.Stop() // again: nothing
	want := "\rscanning: 3 commits, 1,200 blobs, 3.0 MiB, 1.5 MiB/s, 2s\x1b[K" +
		"\rscanning: 3 commits, 1,234 blobs, 4.0 MiB, 1.0 MiB/s, 4s\x1b[K" +
		"\r\x1b[K"
	if got := w.String(); got != want {
		t.Errorf("terminal got\n%q\nwant\n%q", got, want)
	}
	if !clock.stopped {
		t.Error("the ticker was not stopped")
	}
}

func TestMeterShowsNothingOffATerminalOrDisabled(t *testing.T) {
	var n Counter
	var buf bytes.Buffer
	if m := Start(&buf, n.Counts, Options{}); m != nil {
		t.Error("Start on a bytes.Buffer returned a meter")
	}
	var w term
	m := Start(&w, n.Counts, Options{Disabled: true})
	if m != nil {
		t.Error("Start with Disabled returned a meter")
	}
	m.Stop() // a nil meter does nothing
	if m := Start(&buf, n.Counts, Options{Always: true, Disabled: true}); m != nil {
		t.Error("Disabled does not win over Always")
	}
	if got := m.Writer(&buf); got != &buf {
		t.Error("a nil meter's Writer is not the writer itself")
	}
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(f) {
		t.Error("a regular file counts as a terminal")
	}
}

func TestAlwaysPaintsOffATerminal(t *testing.T) {
	var buf bytes.Buffer
	clock := newFakeClock()
	var n Counter
	m := Start(&buf, n.Counts, Options{Always: true, Now: clock.Now, Tick: clock.Tick, Label: "scan\x1bni\rng\n"})
	clock.advance(time.Second)
	m.Stop()
	if got := buf.String(); got != "\rscanning: 0 blobs, 0 B, 0 B/s, 1s\x1b[K\r\x1b[K" {
		t.Errorf("got %q", got)
	}
}

func TestStopBeforeAnyTickPrintsNothing(t *testing.T) {
	var w term
	clock := newFakeClock()
	var n Counter
	Start(&w, n.Counts, Options{Now: clock.Now, Tick: clock.Tick}).Stop()
	if got := w.String(); got != "" {
		t.Errorf("a scan that ended before the first tick printed %q", got)
	}
}

func TestLogLinesClearTheProgressLine(t *testing.T) {
	var w term
	clock := newFakeClock()
	var n Counter
	m := Start(&w, n.Counts, Options{Now: clock.Now, Tick: clock.Tick, Label: "history"})
	log := m.Writer(&w)
	clock.advance(time.Second)
	paints(t, &w, 1)
	clock.advance(time.Second) // the second paint may come before or after the logs
	fmt.Fprintln(log, "WRN something")
	fmt.Fprintln(log, "WRN more")
	m.Stop()
	got := w.String()
	if !strings.HasPrefix(got, "\rhistory: 0 blobs, 0 B, 0 B/s, 1s\x1b[K") {
		t.Errorf("no first paint: %q", got)
	}
	// the progress line is cleared before each log line, never run into it
	if strings.Count(got, "WRN") != 2 {
		t.Fatalf("log lines lost: %q", got)
	}
	for i := strings.Index(got, "WRN"); i >= 0; i = next(got, i) {
		if before := got[:i]; !strings.HasSuffix(before, "\r\x1b[K") && !strings.HasSuffix(before, "\n") {
			t.Errorf("log line written after a progress line: %q", got)
		}
	}
	if !strings.HasSuffix(got, "\n") && !strings.HasSuffix(got, "\r\x1b[K") {
		t.Errorf("the end leaves a progress line on the screen: %q", got)
	}
}

// next returns the index of the next "WRN" after i, or -1.
func next(s string, i int) int {
	j := strings.Index(s[i+1:], "WRN")
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

func TestCounterIsSafeForConcurrentUse(t *testing.T) {
	var w term
	clock := newFakeClock()
	var n Counter
	m := Start(&w, n.Counts, Options{Now: clock.Now, Tick: clock.Tick})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 1000; j++ {
				n.Add(1, 10)
			}
		}()
	}
	for i := 0; i < 5; i++ {
		clock.advance(time.Second)
	}
	wg.Wait()
	m.Stop()
	if c := n.Counts(); c.Blobs != 8000 || c.Bytes != 80000 {
		t.Errorf("counts %+v, want 8000 blobs of 80000 bytes", c)
	}
	if s := w.String(); !strings.HasSuffix(s, "\r\x1b[K") || strings.Count(s, "scanning:") != 5 {
		t.Errorf("want 5 paints then a clear, got %q", s)
	}
}

func TestFormats(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Size(0), "0 B"}, {Size(1023), "1023 B"}, {Size(1536), "1.5 KiB"}, {Size(5 << 30), "5.0 GiB"},
		{Elapsed(7400 * time.Millisecond), "7s"}, {Elapsed(67 * time.Second), "1m07s"},
		{Elapsed(2*time.Hour + 3*time.Minute + 9*time.Second), "2h03m09s"},
		{group(0), "0"}, {group(999), "999"}, {group(1000), "1,000"}, {group(1234567), "1,234,567"},
		{Line("dir", Counts{Blobs: 5, Bytes: 2048}, 0), "dir: 5 blobs, 2.0 KiB, 0s"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
