package source

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
)

// quiet returns Options with silent logs.
func quiet() Options { return Options{Log: zerolog.Nop()} }

// newFixture returns credential-shaped values generated for this run.
func newFixture(t *testing.T) *rules.Fixture {
	t.Helper()
	return rules.NewFixture(rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())))
}

// day returns an RFC 3339 author date, one day per n, so that commits made
// in one test never share a date.
func day(n int) string { return fmt.Sprintf("2024-01-%02dT10:00:00Z", n) }

// rev returns the object id git gives spec.
func (r *testRepo) rev(spec string) string {
	r.t.Helper()
	return r.git("rev-parse", spec)
}

// openWith opens the repository for scanning with opts.
func (r *testRepo) openWith(opts Options) *Repo {
	r.t.Helper()
	repo, err := OpenRepo(context.Background(), r.dir, opts)
	if err != nil {
		r.t.Fatal(err)
	}
	return repo
}

// writeBytes writes raw content to a file of the work tree.
func (r *testRepo) writeBytes(path string, content []byte) {
	r.t.Helper()
	p := filepath.Join(r.dir, path)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, content, 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// commitIndex commits the index as it is (no `add -A`) and returns the id.
func (r *testRepo) commitIndex(msg, date string) string {
	r.t.Helper()
	r.gitEnv([]string{"GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date},
		"commit", "-q", "--allow-empty", "-m", msg)
	return r.rev("HEAD")
}

// objectFile returns the path of a loose object, failing if it is packed.
func (r *testRepo) objectFile(id string) string {
	r.t.Helper()
	p := filepath.Join(r.dir, ".git", "objects", id[:2], id[2:])
	if _, err := os.Stat(p); err != nil {
		r.t.Fatalf("object %s is not loose: %v", id, err)
	}
	return p
}

// only returns the single chunk of content id, failing otherwise.
func only(t *testing.T, chunks map[string][]finding.Chunk, id string) finding.Chunk {
	t.Helper()
	if len(chunks[id]) != 1 {
		t.Fatalf("content %s: %d chunks, want 1 (have %v)", id, len(chunks[id]), ids(chunks))
	}
	return chunks[id][0]
}

// ids returns the content ids of chunks, sorted.
func ids(chunks map[string][]finding.Chunk) []string {
	out := make([]string, 0, len(chunks))
	for id := range chunks {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// texts returns each content's data, for contents that came in one chunk.
func texts(t *testing.T, chunks map[string][]finding.Chunk) map[string]string {
	t.Helper()
	out := map[string]string{}
	for id := range chunks {
		out[id] = string(only(t, chunks, id).Data)
	}
	return out
}

// places summarises locations as sorted "path@commit" strings.
func places(locs []finding.Location) []string {
	out := make([]string, len(locs))
	for i, l := range locs {
		out[i] = l.Path + "@" + l.Commit
	}
	sort.Strings(out)
	return out
}

// wantPlaces fails unless locs are exactly the "path@commit" places want.
func wantPlaces(t *testing.T, what string, locs []finding.Location, want ...string) {
	t.Helper()
	sort.Strings(want)
	if got := places(locs); !slices.Equal(got, want) {
		t.Errorf("%s: places %q, want %q", what, got, want)
	}
}

// span is where one chunk sits in its content.
type span struct {
	off  int64
	n    int
	line int
}

// spansOf runs src, checks every chunk's data against content as it comes
// (without copying it) and returns the chunks' spans sorted by offset.
func spansOf(t *testing.T, src Source, content []byte) []span {
	t.Helper()
	var mu sync.Mutex
	var spans []span
	var bad []string
	err := src.Chunks(context.Background(), func(c finding.Chunk) error {
		end := c.Offset + int64(len(c.Data))
		ok := c.Offset >= 0 && end <= int64(len(content)) && bytes.Equal(c.Data, content[c.Offset:end])
		mu.Lock()
		defer mu.Unlock()
		if !ok {
			bad = append(bad, fmt.Sprintf("offset %d, %d bytes", c.Offset, len(c.Data)))
		}
		spans = append(spans, span{off: c.Offset, n: len(c.Data), line: c.Line})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) > 0 {
		t.Fatalf("chunks that differ from the content: %s", strings.Join(bad, "; "))
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].off < spans[j].off })
	return spans
}

// checkCover fails unless spans are windows of at most WindowSize bytes that
// cover every byte of content, each overlapping the previous by Overlap/2 to
// Overlap bytes, with the line number of their first byte.
func checkCover(t *testing.T, spans []span, content []byte) {
	t.Helper()
	if len(spans) == 0 {
		t.Fatal("no chunks")
	}
	var end int64
	for i, s := range spans {
		if s.n > WindowSize {
			t.Errorf("window %d: %d bytes, more than WindowSize", i, s.n)
		}
		if want := 1 + bytes.Count(content[:s.off], []byte{'\n'}); s.line != want {
			t.Errorf("window %d at %d: line %d, want %d", i, s.off, s.line, want)
		}
		if i == 0 && s.off != 0 {
			t.Errorf("first window at %d", s.off)
		}
		if ov := end - s.off; i > 0 && (ov < Overlap/2 || ov > Overlap) {
			t.Errorf("window %d at %d overlaps the previous by %d bytes", i, s.off, ov)
		}
		end = s.off + int64(s.n)
	}
	if end != int64(len(content)) {
		t.Errorf("windows end at %d, content has %d bytes", end, len(content))
	}
}

// bg is the context of calls that are not about cancellation.
func bg() context.Context { return context.Background() }
