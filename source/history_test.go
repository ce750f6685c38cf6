package source

import (
	"context"
	"testing"
)

func TestHistoryReadsEveryBlobOnceAndLocatesIt(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "alpha\n")
	c1 := r.commit("one", "2024-01-01T10:00:00Z", "Ada Dev <ada@example.com>")
	r.write("b.txt", "alpha\n") // same content at a second path: one blob
	c2 := r.commit("two", "2024-01-02T10:00:00Z", "Bo Ops <bo@example.com>")
	h := r.open().History()
	chunks := collect(t, h)
	blob := r.git("rev-parse", "HEAD:a.txt")
	if len(chunks) != 1 || len(chunks[blob]) != 1 {
		t.Fatalf("want the one blob once, got %d contents", len(chunks))
	}
	if st := h.Stats(); st.Commits != 2 || st.Blobs != 1 || st.Bytes != 6 {
		t.Fatalf("stats %+v", st)
	}
	locs, err := h.Locate(context.Background(), []string{blob})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, l := range locs[blob] {
		got[l.Path] = l.Commit + " " + l.AuthorEmail
	}
	if got["a.txt"] != c1+" ada@example.com" || got["b.txt"] != c2+" bo@example.com" || len(got) != 2 {
		t.Fatalf("locations %v", got)
	}
}
