package source

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
)

// deltaRepo builds a history in which most blobs are stored as deltas once
// packed: one file edited commit after commit, some copies, a binary file,
// a blob larger than a window, and an empty file.
func deltaRepo(t *testing.T, commits int) *testRepo {
	r := newTestRepo(t)
	rng := rand.New(rand.NewPCG(1, 2))
	lines := make([]string, 400)
	for i := range lines {
		lines[i] = fmt.Sprintf("line %d %x", i, rng.Uint64())
	}
	big := bytes.Repeat([]byte("0123456789abcdef"), (WindowSize+Overlap)/16+3)
	for c := range commits {
		for k := 0; k < 5; k++ {
			lines[rng.IntN(len(lines))] = fmt.Sprintf("edit %d.%d %x", c, k, rng.Uint64())
		}
		r.write("main.txt", strings.Join(lines, "\n"))
		r.write(fmt.Sprintf("dir/copy%d.txt", c%3), strings.Join(lines[c%50:], "\n"))
		if c%4 == 0 {
			r.writeBytes("bin.dat", append([]byte{0, 1, 2}, lines[c]...))
			big[rng.IntN(len(big))] = 'X'
			r.writeBytes("big.txt", big)
		}
		r.write("empty.txt", "")
		r.commit(fmt.Sprintf("c%d", c), day(1+c%27), "")
	}
	return r
}

// viaCatFile reads every blob with git cat-file, the reader the in-process
// one must agree with.
func viaCatFile(t *testing.T, r *testRepo) map[string]string {
	t.Helper()
	b := r.open().b.(cliBackend)
	out := map[string]string{}
	err := b.allBlobs(bg(), func(o object, body io.Reader) error {
		data, err := io.ReadAll(body)
		out[o.id] = string(data)
		return err
	}, func(id string, err error) { t.Errorf("cat-file: %s: %v", id, err) })
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// inProcess reads every blob with the object store reader.
func inProcess(t *testing.T, r *testRepo, workers int) (map[string]string, map[string]error) {
	t.Helper()
	b := r.open().b.(cliBackend)
	var mu sync.Mutex
	out, bad := map[string]string{}, map[string]error{}
	err := b.packedBlobs(bg(), workers, nil, func(id string, buf *[]byte, _ keywordHits) error {
		mu.Lock()
		defer mu.Unlock()
		if _, dup := out[id]; dup {
			t.Errorf("blob %s read twice", id)
		}
		out[id] = string(*buf)
		putBuf(buf)
		return nil
	}, func(id string, err error) {
		mu.Lock()
		bad[id] = err
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, bad
}

func sameBlobs(t *testing.T, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("read %d blobs, git has %d", len(got), len(want))
	}
	for id, w := range want {
		if g, ok := got[id]; !ok || g != w {
			t.Errorf("blob %s: got %d bytes (present %v), want %d", id, len(g), ok, len(w))
		}
	}
}

func TestPackReaderMatchesCatFile(t *testing.T) {
	r := deltaRepo(t, 40)
	loose := viaCatFile(t, r)
	got, bad := inProcess(t, r, 2)
	sameBlobs(t, got, loose)
	r.git("repack", "-a", "-d", "-q", "--depth=50", "--window=50")
	if n := r.git("count-objects", "-v"); !strings.Contains(n, "count: 0") {
		t.Fatalf("objects left loose after repack:\n%s", n)
	}
	for _, tc := range []struct {
		name     string
		workers  int
		cacheCap int64
	}{{"one decoder", 1, 40 << 20}, {"three decoders", 3, 40 << 20}, {"tiny cache", 2, 1}} {
		t.Run(tc.name, func(t *testing.T) {
			old := deltaCacheBytes
			deltaCacheBytes = tc.cacheCap
			defer func() { deltaCacheBytes = old }()
			got, bad := inProcess(t, r, tc.workers)
			sameBlobs(t, got, loose)
			if len(bad) > 0 {
				t.Errorf("corrupt: %v", bad)
			}
		})
	}
	if len(bad) > 0 {
		t.Errorf("corrupt: %v", bad)
	}
	if !packHasDeltas(t, r) {
		t.Fatal("the test pack holds no deltas: the test proves nothing")
	}
}

// packHasDeltas reports whether the repository's packs store deltas.
func packHasDeltas(t *testing.T, r *testRepo) bool {
	idxs, _ := filepath.Glob(filepath.Join(r.dir, ".git/objects/pack/*.idx"))
	for _, idx := range idxs {
		p, err := openPack(idx)
		if err != nil {
			t.Fatal(err)
		}
		defer p.close()
		for _, o := range p.objs {
			if o.base >= 0 && o.typ == objBlob {
				return true
			}
		}
	}
	return false
}

func TestPackReaderSeveralPacksAndLooseObjects(t *testing.T) {
	r := deltaRepo(t, 12)
	r.git("repack", "-a", "-d", "-q")
	r.write("main.txt", "after the first pack\n")
	r.commit("more", day(28), "")
	// a second pack holding everything again, and the new loose objects
	r.git("repack", "-a", "-q")
	r.write("late.txt", "loose only\n")
	r.commit("late", day(28), "")
	got, bad := inProcess(t, r, 2)
	sameBlobs(t, got, viaCatFile(t, r))
	if len(bad) > 0 {
		t.Errorf("corrupt: %v", bad)
	}
}

// Loose objects (the newest commits) are read before the packs, so that a
// finding among them starts the placing walk early.
func TestPackReaderReadsLooseObjectsFirst(t *testing.T) {
	r := deltaRepo(t, 12)
	r.git("repack", "-a", "-d", "-q")
	r.write("late.txt", "loose only\n")
	r.write("main.txt", "after the pack\n")
	r.commit("late", day(28), "")
	loose := map[string]bool{r.git("rev-parse", "HEAD:late.txt"): true, r.git("rev-parse", "HEAD:main.txt"): true}
	b := r.open().b.(cliBackend)
	var order []string
	err := b.packedBlobs(bg(), 1, nil, func(id string, buf *[]byte, _ keywordHits) error {
		order = append(order, id)
		putBuf(buf)
		return nil
	}, func(id string, err error) { t.Errorf("%s: %v", id, err) })
	if err != nil {
		t.Fatal(err)
	}
	if len(order) < 3 || !loose[order[0]] || !loose[order[1]] {
		t.Fatalf("read order %v: want the loose blobs %v first", order, loose)
	}
	seen := map[string]bool{}
	for _, id := range order {
		if seen[id] {
			t.Fatalf("blob %s read twice", id)
		}
		seen[id] = true
	}
}

func TestPackReaderCorruptObjectIsNamedAndTheRestRead(t *testing.T) {
	r := deltaRepo(t, 10)
	r.write("victim.txt", strings.Repeat("a line that will be damaged in the pack\n", 200))
	r.commit("victim", day(20), "")
	victim := r.rev("HEAD:victim.txt")
	want := viaCatFile(t, r)
	r.git("repack", "-a", "-d", "-q")
	idxs, _ := filepath.Glob(filepath.Join(r.dir, ".git/objects/pack/*.idx"))
	p, err := openPack(idxs[0])
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := hex.DecodeString(victim)
	o := p.objs[p.ix.find(raw)]
	p.close()
	data, err := os.ReadFile(p.path)
	if err != nil {
		t.Fatal(err)
	}
	for k := o.dataAt + 4; k < o.end-4; k++ {
		data[k] ^= 0x55
	}
	_ = os.Chmod(p.path, 0o644)
	if err := os.WriteFile(p.path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	got, bad := inProcess(t, r, 2)
	if _, ok := bad[victim]; !ok || len(bad) != 1 {
		t.Errorf("corrupt %v, want only %s", bad, victim)
	}
	delete(want, victim)
	sameBlobs(t, got, want)

	h := r.open().History()
	collect(t, h)
	if st := h.Stats(); st.CorruptBlobs != 1 || st.Warnings == 0 {
		t.Errorf("stats %+v, want 1 corrupt blob and a warning", st)
	}
}

func TestHistoryReadsPacksInProcessWithColumns(t *testing.T) {
	r := newTestRepo(t)
	long := bytes.Repeat([]byte("x"), WindowSize+1000)
	r.writeBytes("long.txt", append([]byte("first\n"), long...))
	r.commit("long", day(1), "")
	r.git("repack", "-a", "-d", "-q")
	h := r.open().History()
	chunks := collect(t, h)
	cs := chunks[r.rev("HEAD:long.txt")]
	if len(cs) != 2 {
		t.Fatalf("%d windows, want 2", len(cs))
	}
	for _, c := range cs {
		if c.Offset > 0 {
			if want := int(c.Offset) - len("first\n") + 1; c.Line != 2 || c.Column != want {
				t.Errorf("second window at line %d column %d, want line 2 column %d", c.Line, c.Column, want)
			}
		} else if c.Column != 1 {
			t.Errorf("first window column %d, want 1", c.Column)
		}
	}
}

func TestWalkOnMarkWalksOnlyWhenMarked(t *testing.T) {
	r := deltaRepo(t, 6)
	opts := quiet()
	opts.WalkOnMark = true
	h := r.openWith(opts).History()
	collect(t, h)
	if h.changes != nil || h.Stats().Commits != 6 {
		t.Errorf("unmarked: changes kept %v, %d commits; want no walk and 6 commits", h.changes != nil, h.Stats().Commits)
	}
	h = r.openWith(opts).History()
	target := r.rev("HEAD:main.txt")
	if err := h.Chunks(bg(), func(c finding.Chunk) error {
		if c.ID == target {
			h.Mark(c.ID)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if h.changes == nil || h.Stats().Commits != 6 {
		t.Fatalf("marked: no changes kept (%d commits)", h.Stats().Commits)
	}
	locs := locate(t, h, target)[target]
	if len(locs) != 1 || locs[0].Commit != r.rev("HEAD") {
		t.Errorf("located %v, want HEAD", locs)
	}
}

func TestHistoryWithAlternatesIsReadByGit(t *testing.T) {
	origin := deltaRepo(t, 5)
	origin.git("repack", "-a", "-d", "-q")
	r := &testRepo{t: t, dir: filepath.Join(t.TempDir(), "shared")}
	origin.git("clone", "-q", "--shared", origin.dir, r.dir)
	b := r.open().b.(cliBackend)
	if err := b.packedBlobs(bg(), 1, nil, nil, nil); !errors.Is(err, errUnsupported) {
		t.Fatalf("in-process read of a repository with alternates: %v, want errUnsupported", err)
	}
	h := r.open().History()
	got := collect(t, h)
	for id, w := range viaCatFile(t, origin) {
		if cs := got[id]; len(cs) == 0 && !strings.ContainsRune(w, 0) {
			t.Errorf("blob %s not read through the fallback", id)
		} else if len(cs) == 1 && string(cs[0].Data) != w {
			t.Errorf("blob %s read wrong", id)
		}
	}
}

func TestReadBlobsLooseAndPackedMatchCatFile(t *testing.T) {
	r := deltaRepo(t, 30)
	r.git("repack", "-a", "-d", "-q", "--depth=50", "--window=50")
	r.write("loose.txt", "a loose blob\n")
	r.commit("loose", day(28), "")
	want := viaCatFile(t, r)
	ids := []string{"0000000000000000000000000000000000000001", r.rev("HEAD^{tree}")}
	for id := range want {
		ids = append(ids, id)
	}
	var mu sync.Mutex
	got := map[string][]byte{}
	err := r.openWith(Options{ScanBinary: true, Log: zerolog.Nop()}).ReadBlobs(bg(), ids, func(c finding.Chunk) error {
		mu.Lock()
		defer mu.Unlock()
		got[c.ID] = append(got[c.ID], c.Data...) // windows overlap: only lengths compare for big blobs
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for id, w := range want {
		if g := got[id]; len(w) <= WindowSize && string(g) != w {
			t.Errorf("blob %s: %d bytes, want %d", id, len(g), len(w))
		} else if len(g) < len(w) {
			t.Errorf("blob %s: %d bytes, want at least %d", id, len(g), len(w))
		}
	}
	if len(got) != len(want) {
		t.Errorf("read %d blobs, want %d (no tree, nothing for a missing id)", len(got), len(want))
	}
}

// With a prefilter the reader searches text blobs for keywords (deltas from
// what they changed) and hands the hits on, but never searches binary
// content, which the detector is not given.
func TestPackReaderSearchesTextNotBinary(t *testing.T) {
	r := deltaRepo(t, 12)
	r.git("repack", "-a", "-d", "-q")
	b := r.open().b.(cliBackend)
	var mu sync.Mutex
	searched := 0
	filter := &Prefilter{Reach: 4, Find: func(data []byte, out []finding.KeywordHit) []finding.KeywordHit {
		mu.Lock()
		defer mu.Unlock()
		searched++
		if bytes.IndexByte(data[:min(len(data), sniffLen)], 0) >= 0 {
			t.Errorf("searched binary content %q...", data[:min(len(data), 16)])
		}
		return naiveFind([]string{"edit"})(data, out)
	}}
	known, withHits := 0, 0
	err := b.packedBlobs(bg(), 2, filter, func(id string, buf *[]byte, kh keywordHits) error {
		mu.Lock()
		defer mu.Unlock()
		if kh.known {
			known++
			if len(kh.hits) > 0 {
				withHits++
			}
			if got := naiveFind([]string{"edit"})(*buf, nil); !slices.Equal(kh.hits, got) {
				t.Errorf("blob %s: hits %v, a full search finds %v", id, kh.hits, got)
			}
		}
		putBuf(buf)
		return nil
	}, func(id string, err error) { t.Errorf("%s: %v", id, err) })
	if err != nil {
		t.Fatal(err)
	}
	if searched == 0 || known == 0 || withHits == 0 {
		t.Fatalf("searched %d times, %d blobs with known hits (%d with some): the test does not test", searched, known, withHits)
	}
}
