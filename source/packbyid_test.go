package source

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scanner-dev/scanner/finding"
)

// idDecoderOf opens the repository's packs for reading by id, until the
// test ends.
func idDecoderOf(t *testing.T, r *testRepo) *idDecoder {
	t.Helper()
	set, err := openPackSet(filepath.Join(r.dir, ".git", "objects"))
	if err != nil {
		t.Fatal(err)
	}
	d := newIDDecoder(set)
	t.Cleanup(func() { d.close(); set.close() })
	return d
}

// byID reads each blob of want by id with one idDecoder over the
// repository's packs.
func byID(t *testing.T, r *testRepo, ids []string) map[string]string {
	t.Helper()
	d := idDecoderOf(t, r)
	out := map[string]string{}
	for _, id := range ids {
		buf, err := d.blob(id)
		if err != nil {
			t.Errorf("blob %s: %v", id, err)
			continue
		}
		out[id] = string(*buf)
		putBuf(buf)
	}
	return out
}

func TestIDDecoderMatchesCatFile(t *testing.T) {
	r := deltaRepo(t, 40)
	want := viaCatFile(t, r)
	ids := slices.Sorted(maps.Keys(want))
	for _, tc := range []struct {
		name   string
		repack []string
	}{
		{"offset deltas", []string{"repack", "-a", "-d", "-q", "--depth=50", "--window=50"}},
		// a pack whose deltas name their bases by id (REF_DELTA), as
		// packs from old servers do
		{"ref deltas", []string{"-c", "repack.useDeltaBaseOffset=false", "repack", "-a", "-d", "-f", "-q", "--depth=50", "--window=50"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r.git(tc.repack...)
			if !packHasDeltas(t, r) {
				t.Fatal("the pack holds no deltas: the test proves nothing")
			}
			for _, cacheCap := range []int64{40 << 20, 1} {
				old := idCacheBytes
				idCacheBytes = cacheCap
				// newest first, as a range lists them, then oldest first
				sameBlobs(t, byID(t, r, ids), want)
				slices.Reverse(ids)
				sameBlobs(t, byID(t, r, ids), want)
				idCacheBytes = old
			}
		})
	}
}

func TestIDDecoderSaysWhatItCannotRead(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "a\n")
	r.commit("one", day(1), "")
	r.git("repack", "-a", "-d", "-q")
	d := idDecoderOf(t, r)
	if _, err := d.blob(strings.Repeat("ab", 20)); !errors.Is(err, errNotPacked) {
		t.Errorf("an absent object: %v, want errNotPacked", err)
	}
	if _, err := d.blob(r.rev("HEAD^{tree}")); !errors.Is(err, errNotBlob) {
		t.Errorf("a tree: %v, want errNotBlob", err)
	}
	if _, err := d.blob("not-an-id"); !errors.Is(err, errNotPacked) {
		t.Errorf("a malformed id: %v, want errNotPacked", err)
	}
}

// rangeOf scans base..head and returns its chunks, placed as the pipeline
// places them, with the source.
func rangeOf(t *testing.T, r *testRepo, spec string) (map[string][]finding.Chunk, Source) {
	t.Helper()
	src, err := r.open().Range(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	return collect(t, src), src
}

func TestRangeReadWhileWalkedMatchesReadAfter(t *testing.T) {
	r := deltaRepo(t, 30)
	r.git("repack", "-a", "-d", "-q", "--depth=50", "--window=50")
	r.write("loose.txt", "written after the repack\n")
	head := r.commit("loose", day(28), "")
	spec := r.rev("HEAD~20") + ".." + head

	readWhileWalking = false
	want, wantSrc := rangeOf(t, r, spec)
	readWhileWalking = true
	if len(want) < 10 {
		t.Fatalf("the range has %d blobs: the test proves little", len(want))
	}
	for _, budget := range []int64{prefetchBytes, 1} {
		old := prefetchBytes
		prefetchBytes = budget // 1: every blob but the first waits for Chunks
		got, src := rangeOf(t, r, spec)
		prefetchBytes = old
		if len(got) != len(want) {
			t.Errorf("budget %d: read %d blobs, want %d", budget, len(got), len(want))
		}
		for id, w := range want {
			if g := got[id]; !sameChunks(g, w) {
				t.Errorf("budget %d: blob %s differs (%d chunks, want %d)", budget, id, len(g), len(w))
			}
		}
		if st, wst := src.Stats(), wantSrc.Stats(); !reflect.DeepEqual(st, wst) {
			t.Errorf("budget %d: stats %+v, want %+v", budget, st, wst)
		}
	}
}

// sameChunks compares two reads of one content, window by window.
func sameChunks(a, b []finding.Chunk) bool {
	byOffset := func(x, y finding.Chunk) int { return int(x.Offset - y.Offset) }
	slices.SortFunc(a, byOffset)
	slices.SortFunc(b, byOffset)
	return slices.EqualFunc(a, b, func(x, y finding.Chunk) bool {
		return x.Offset == y.Offset && string(x.Data) == string(y.Data) &&
			slices.EqualFunc(x.Locations, y.Locations, sameLocation)
	})
}

func sameLocation(a, b finding.Location) bool {
	return a.Path == b.Path && a.Commit == b.Commit && a.Blob == b.Blob && slices.Equal(a.Prior, b.Prior)
}

func TestRangeChunksReadWhileWalkedNameTheirPath(t *testing.T) {
	r := newRangeRepo(t)
	src, err := r.open().Range(context.Background(), r.c1+".."+r.c3)
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string]string{}
	var mu sync.Mutex
	err = src.Chunks(context.Background(), func(c finding.Chunk) error {
		if len(c.Locations) == 0 {
			mu.Lock()
			paths[c.ID] = c.Path
			mu.Unlock()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	a := r.rev(r.c2 + ":a.txt")
	if len(paths) == 0 {
		t.Fatal("every chunk came placed: the read while walking was not used")
	}
	if p, ok := paths[a]; ok && p != "a.txt" {
		t.Errorf("a.txt's chunk names %q", p)
	}
	found, _ := src.(Locator).Locate(context.Background(), slices.Collect(maps.Keys(paths)))
	for id := range paths {
		if len(found[id]) == 0 {
			t.Errorf("blob %s: Locate has no place for it", id)
		}
	}
}

func TestRangeWithAlternatesIsReadByGit(t *testing.T) {
	up := newRangeRepo(t)
	r := newTestRepo(t)
	alt := filepath.Join(r.dir, ".git", "objects", "info", "alternates")
	if err := os.WriteFile(alt, []byte(filepath.Join(up.dir, ".git", "objects")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r.git("fetch", "-q", up.dir, "HEAD:refs/heads/up")
	chunks, _ := rangeOf(t, r, up.c1+".."+up.c3)
	if _, ok := chunks[up.rev(up.c2+":a.txt")]; !ok || len(chunks) != 3 {
		t.Errorf("read %d blobs through the alternate, want 3 with a.txt's", len(chunks))
	}
}

// A run that is interrupted or times out while a range is still being
// walked ends at once: it does not wait for the walk (git/git's whole
// history walk takes seconds).
func TestRangeReadEndsWhenItsRunDoesMidWalk(t *testing.T) {
	r := newRangeRepo(t)
	s := &changeSet{Repo: r.open(), locs: map[string][]finding.Location{}}
	walking := make(chan struct{})
	s.list = func(ctx context.Context, fn func(change) error) error {
		if err := fn(change{path: "a.txt", blob: r.rev(r.c2 + ":a.txt")}); err != nil {
			return err
		}
		close(walking)
		<-ctx.Done() // a walk that goes on until it is stopped
		return ctx.Err()
	}
	s.listEarly(context.Background())
	if s.early = startWalkReader(context.Background(), s); s.early == nil {
		t.Fatal("no in-process read: the test tests nothing")
	}
	<-walking
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan error, 1)
	go func() { done <- s.Chunks(ctx, func(finding.Chunk) error { return nil }) }()
	select {
	case err := <-done:
		if err == nil {
			t.Error("an interrupted read returned no error")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Chunks still waits for the walk after its run ended")
	}
}
