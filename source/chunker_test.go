package source

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/iotest"

	"github.com/scanner-dev/scanner/finding"
)

// pattern returns n bytes of letters with a newline every `every` bytes
// (none when every is 0).
func pattern(n, every int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a' + byte(i%26)
		if every > 0 && i%every == every-1 {
			b[i] = '\n'
		}
	}
	return b
}

// fileWith writes content to a new file and returns its path.
func fileWith(t *testing.T, content []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "content.bin")
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// streamSources returns the sources of content read as a stream, as a stream
// that gives half of each read, and as a file of known size.
func streamSources(t *testing.T, content []byte, opts Options) map[string]Source {
	t.Helper()
	d, err := NewDir(fileWith(t, content), opts)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]Source{
		"reader":      NewReader("stdin", bytes.NewReader(content), opts),
		"half reader": NewReader("stdin", iotest.HalfReader(bytes.NewReader(content)), opts),
		"file":        d,
	}
}

// gitSource returns the history of a repository holding content as one file.
func gitSource(t *testing.T, content []byte, opts Options) Source {
	t.Helper()
	r := newTestRepo(t)
	r.writeBytes("content.bin", content)
	r.commit("content", day(1), "")
	return r.openWith(opts).History()
}

func TestWindowsCoverEveryByteOnce(t *testing.T) {
	cases := []struct{ size, every int }{
		{1, 0}, {WindowSize - 1, 80}, {WindowSize, 0}, {WindowSize + 1, 80},
		{2*WindowSize + 12345, 80}, {2*WindowSize + 12345, 0}, {2 * WindowSize, 20000},
	}
	for _, c := range cases {
		content := pattern(c.size, c.every)
		for name, src := range streamSources(t, content, quiet()) {
			t.Run(fmt.Sprintf("%s/%d bytes/lines of %d", name, c.size, c.every), func(t *testing.T) {
				spans := spansOf(t, src, content)
				checkCover(t, spans, content)
				if want := windowsFor(c.size); c.every == 0 && len(spans) != want {
					t.Errorf("%d windows, want %d", len(spans), want)
				}
				for _, s := range spans[1:] {
					if c.every == 80 && content[s.off-1] != '\n' {
						t.Errorf("window at %d does not start a line though lines are short", s.off)
					}
				}
				if st := src.Stats(); st.Bytes != int64(c.size) || st.Blobs != 1 {
					t.Errorf("stats %+v, want %d bytes counted once in 1 blob", st, c.size)
				}
			})
		}
	}
}

// windowsFor is how many windows content of size bytes without newlines
// takes: one, and one more per WindowSize-Overlap bytes past the first.
func windowsFor(size int) int {
	if size <= WindowSize {
		return 1
	}
	step := WindowSize - Overlap
	return 1 + (size-WindowSize+step-1)/step
}

func TestMarkerAcrossAWindowBoundaryIsWholeInAChunk(t *testing.T) {
	marker := []byte("MARK-" + newFixture(t).Token + "-END")
	cases := []struct {
		name       string
		at, every  int
		minWindows int
	}{
		{"first boundary", WindowSize - len(marker)/2, 0, 2},
		{"first boundary, lines", WindowSize - len(marker)/2, 80, 2},
		{"last byte of window", WindowSize - 1, 0, 2},
		{"second boundary", 2*(WindowSize-Overlap) + Overlap - 7, 0, 3},
		{"long line at boundary", WindowSize - 5, 40000, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			content := pattern(3*WindowSize, c.every)
			copy(content[c.at:], marker)
			var whole int
			for _, s := range spansOf(t, NewReader("stdin", bytes.NewReader(content), quiet()), content) {
				if bytes.Contains(content[s.off:s.off+int64(s.n)], marker) {
					whole++
				}
			}
			if whole == 0 {
				t.Fatalf("no chunk holds the marker at %d whole", c.at)
			}
		})
	}
}

func TestEmptyContent(t *testing.T) {
	for name, src := range streamSources(t, nil, quiet()) {
		t.Run(name, func(t *testing.T) {
			chunks := collect(t, src)
			for id, cs := range chunks {
				if len(cs) != 1 || len(cs[0].Data) != 0 || cs[0].Offset != 0 || cs[0].Line != 1 {
					t.Errorf("%s: %d chunks, first %+v", id, len(cs), cs[0])
				}
			}
			if len(chunks) > 1 {
				t.Errorf("%d contents from one empty stream", len(chunks))
			}
			if st := src.Stats(); st.Bytes != 0 || st.SkippedBinary != 0 || st.Warnings != 0 {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

func TestBinaryContentIsSkippedUnlessAskedFor(t *testing.T) {
	cases := []struct {
		name   string
		nul    int // index of the NUL byte, -1 for none
		size   int
		binary bool
	}{
		{"NUL first", 0, 100, true},
		{"NUL at the last sniffed byte", sniffLen - 1, 20000, true},
		{"NUL just past the sniffed bytes", sniffLen, 20000, false},
		{"large binary", 10, WindowSize + 1000, true},
		{"no NUL", -1, 100, false},
	}
	for _, c := range cases {
		content := pattern(c.size, 64)
		if c.nul >= 0 {
			content[c.nul] = 0
		}
		for _, scan := range []bool{false, true} {
			srcs := streamSources(t, content, Options{ScanBinary: scan, Log: quiet().Log})
			srcs["git"] = gitSource(t, content, Options{ScanBinary: scan, Log: quiet().Log})
			for name, src := range srcs {
				t.Run(fmt.Sprintf("%s/%s/ScanBinary=%v", c.name, name, scan), func(t *testing.T) {
					checkBinary(t, src, content, c.binary && !scan)
				})
			}
		}
	}
}

func checkBinary(t *testing.T, src Source, content []byte, skipped bool) {
	t.Helper()
	spans := spansOf(t, src, content)
	st := src.Stats()
	if skipped {
		if len(spans) != 0 || st.SkippedBinary != 1 || st.Blobs != 0 || st.Bytes != 0 {
			t.Errorf("%d chunks, stats %+v; want the content skipped and counted", len(spans), st)
		}
		return
	}
	checkCover(t, spans, content)
	if st.SkippedBinary != 0 || st.Blobs != 1 || st.Bytes != int64(len(content)) {
		t.Errorf("stats %+v, want it scanned", st)
	}
}

func TestMaxFileSize(t *testing.T) {
	const limit = 1000
	files := map[string]string{
		"under.txt": string(pattern(limit-1, 50)), "at.txt": string(pattern(limit, 50)),
		"over.txt": string(pattern(limit+1, 50)), "over-binary.bin": "\x00" + string(pattern(limit*5, 50)),
	}
	want := []string{"at.txt", "under.txt"}
	r := newTestRepo(t)
	for p, c := range files {
		r.write(p, c)
	}
	r.commit("sizes", day(1), "")
	d, err := NewDir(r.dir, Options{MaxFileSize: limit, Log: quiet().Log})
	if err != nil {
		t.Fatal(err)
	}
	h := r.openWith(Options{MaxFileSize: limit, Log: quiet().Log}).History()
	pathOf := map[string]string{}
	for p := range files {
		pathOf[r.rev("HEAD:"+p)] = p
	}
	var got []string
	for id := range collect(t, h) {
		got = append(got, pathOf[id])
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("history read %q, want %q", got, want)
	}
	if got := ids(collect(t, d)); !slices.Equal(got, want) {
		t.Errorf("dir read %q, want %q", got, want)
	}
	for name, src := range map[string]Source{"history": h, "dir": d} {
		if st := src.Stats(); st.SkippedLarge != 2 || st.SkippedBinary != 0 || st.Blobs != 2 || st.Bytes != 2*limit-1 {
			t.Errorf("%s stats %+v, want 2 skipped as large", name, st)
		}
	}
}

func TestFiftyMegabytesOnOneLine(t *testing.T) {
	const size = 50 << 20
	content := pattern(size, 0)
	d, err := NewDir(fileWith(t, content), quiet())
	if err != nil {
		t.Fatal(err)
	}
	spans := spansOf(t, d, content)
	checkCover(t, spans, content)
	for _, s := range spans {
		if s.line != 1 {
			t.Errorf("window at %d on line %d of a one-line file", s.off, s.line)
		}
	}
	if st := d.Stats(); st.Bytes != size || st.Blobs != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestInvalidUTF8PassesThroughUnchanged(t *testing.T) {
	content := []byte("\xff\xfe start \xc3\x28 \xe2\x28\xa1 \xed\xa0\x80 \xf0\x28\x8c\xbc\n\xc0\xaf end \x80")
	srcs := streamSources(t, content, quiet())
	srcs["git"] = gitSource(t, content, quiet())
	for name, src := range srcs {
		t.Run(name, func(t *testing.T) {
			spans := spansOf(t, src, content)
			checkCover(t, spans, content)
			if len(spans) != 1 {
				t.Errorf("%d chunks", len(spans))
			}
		})
	}
}

func TestReaderErrorsAreReturned(t *testing.T) {
	errBroken := errors.New("broken pipe")
	cases := map[string]io.Reader{
		"at once":            iotest.ErrReader(errBroken),
		"after some bytes":   io.MultiReader(bytes.NewReader(pattern(100, 10)), iotest.ErrReader(errBroken)),
		"after a window":     io.MultiReader(bytes.NewReader(pattern(WindowSize+10, 10)), iotest.ErrReader(errBroken)),
		"after many windows": io.MultiReader(bytes.NewReader(pattern(3*WindowSize, 0)), iotest.ErrReader(errBroken)),
	}
	for name, r := range cases {
		t.Run(name, func(t *testing.T) {
			err := NewReader("stdin", r, quiet()).Chunks(bg(), func(c finding.Chunk) error { return nil })
			if !errors.Is(err, errBroken) {
				t.Fatalf("Chunks = %v, want the stream's error", err)
			}
		})
	}
}

func TestReaderChunksAreNamedAndPlaced(t *testing.T) {
	src := NewReader("-", bytes.NewReader([]byte("one\ntwo\n")), quiet())
	c := only(t, collect(t, src), "-")
	if string(c.Data) != "one\ntwo\n" || len(c.Locations) != 1 || c.Locations[0].Path != "-" || c.Line != 1 {
		t.Fatalf("chunk %+v", c)
	}
}
