package source

import (
	"context"
	"os"
	"reflect"
	"sort"
	"testing"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
)

// TestLocateAfterChunksMatchesWalk checks that the locations Chunks gathers
// alongside the blob stream are the ones a walk for the asked blobs gives.
func TestLocateAfterChunksMatchesWalk(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "one\n")
	r.write("dup/a.txt", "one\n")
	r.commit("first", "2024-01-01T10:00:00Z", "Ada <ada@example.com>")
	r.write("a.txt", "two\n")
	r.commit("second", "2024-01-02T10:00:00Z", "Bo <bo@example.com>")
	r.git("checkout", "-q", "-b", "side", "HEAD~1")
	r.write("b.txt", "two\n")
	r.commit("side", "2024-01-03T10:00:00Z", "")
	r.git("checkout", "-q", "main")
	r.gitEnv(nil, "merge", "-q", "--no-ff", "-m", "merge", "side")
	r.write("a.txt", "three\n")
	r.commit("third", "2024-01-04T10:00:00Z", "")

	h := r.open().History()
	chunks := collect(t, h)
	if h.changes == nil {
		t.Fatal("Chunks kept no changes for Locate on a small history")
	}
	ids := []string{"0000000000000000000000000000000000000001"}
	for id := range chunks {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	got, err := h.Locate(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	want, err := r.open().History().Locate(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 3 || !reflect.DeepEqual(got, want) {
		t.Fatalf("locations after Chunks:\n%+v\nwalk:\n%+v", got, want)
	}

	// Past the budget Chunks keeps nothing and Locate walks: same answer.
	defer func(n int) { maxPrefetch = n }(maxPrefetch)
	maxPrefetch = 2
	h = r.open().History()
	collect(t, h)
	if h.changes != nil {
		t.Fatal("Chunks kept more changes than its budget")
	}
	if got, err = h.Locate(context.Background(), ids); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("locations past the budget: %v\n%+v\nwant\n%+v", err, got, want)
	}
}

// BenchmarkHistory streams the whole history of the repository named by
// SCANNER_BENCH_REPO (see bench/) without detection: what the source costs
// on its own. Profile with -cpuprofile.
func BenchmarkHistory(b *testing.B) {
	path := os.Getenv("SCANNER_BENCH_REPO")
	if path == "" {
		b.Skip("set SCANNER_BENCH_REPO to a repository (go run ./bench builds one)")
	}
	ctx := context.Background()
	repo, err := OpenRepo(ctx, path, Options{Log: zerolog.Nop()})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		h := repo.History()
		if err := h.Chunks(ctx, func(finding.Chunk) error { return nil }); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(h.Stats().Bytes)
	}
}
