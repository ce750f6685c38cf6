package source

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/scanner-dev/scanner/finding"
)

// locate runs h.Locate and fails on an error.
func locate(t *testing.T, h *History, ids ...string) map[string][]finding.Location {
	t.Helper()
	locs, err := h.Locate(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	return locs
}

func TestHistorySecretAddedThenRemoved(t *testing.T) {
	r := newTestRepo(t)
	secret := "crisp " + newFixture(t).ID + ":" + newFixture(t).Key + "\n"
	r.write("README", "hello\n")
	r.write("conf/secret.env", secret)
	c1 := r.commit("add", day(1), "Eve Leak <eve@example.com>")
	r.git("rm", "-q", "conf/secret.env")
	r.commit("remove", day(2), "")
	h := r.open().History()
	blob := r.rev(c1 + ":conf/secret.env")
	if got := string(only(t, collect(t, h), blob).Data); got != secret {
		t.Fatalf("read %q", got)
	}
	locs := locate(t, h, blob)[blob]
	wantPlaces(t, "secret", locs, "conf/secret.env@"+c1)
	if l := locs[0]; l.AuthorName != "Eve Leak" || l.AuthorEmail != "eve@example.com" || l.Date.Format("2006-01-02") != "2024-01-01" {
		t.Errorf("location %+v", l)
	}
	if st := h.Stats(); st.Commits != 2 || st.Blobs != 2 {
		t.Errorf("stats %+v", st)
	}
}

func TestHistoryContentOnlyOnASideBranch(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "a\n")
	r.commit("one", day(1), "")
	r.git("checkout", "-q", "-b", "side")
	r.write("side.txt", "side "+newFixture(t).Token+"\n")
	side := r.commit("side", day(2), "")
	r.git("checkout", "-q", "main")
	h := r.open().History()
	blob := r.rev(side + ":side.txt")
	only(t, collect(t, h), blob)
	wantPlaces(t, "side.txt", locate(t, h, blob)[blob], "side.txt@"+side)
	if st := h.Stats(); st.Commits != 2 {
		t.Errorf("%d commits, want 2", st.Commits)
	}
}

func TestHistoryMerges(t *testing.T) {
	r := newTestRepo(t)
	r.write("f.txt", "base\n")
	r.commit("base", day(1), "")
	heads := []string{"main"}
	for i, b := range []string{"b1", "b2"} {
		r.git("checkout", "-q", "-b", b, "main")
		r.write("f.txt", b+"\n")
		r.write(b+".txt", "only on "+b+"\n")
		heads = append(heads, r.commit(b, day(2+i), ""))
	}
	r.git("checkout", "-q", "main")
	r.write("f.txt", "main\n")
	heads[0] = r.commit("main", day(5), "")
	r.git("merge", "-q", "--no-commit", "-s", "ours", "b1", "b2")
	r.write("f.txt", "resolved\n")
	merge := r.commit("octopus", day(6), "")
	if n := len(strings.Fields(r.git("log", "-1", "--format=%P"))); n != 3 {
		t.Fatalf("merge has %d parents", n)
	}
	h := r.open().History()
	collect(t, h)
	res, b1 := r.rev(merge+":f.txt"), r.rev(heads[1]+":b1.txt")
	locs := locate(t, h, res, b1)
	wantPlaces(t, "resolution", locs[res], "f.txt@"+merge)
	wantPlaces(t, "b1.txt", locs[b1], "b1.txt@"+heads[1])
	var prior []string
	for _, c := range heads {
		prior = append(prior, r.rev(c+":f.txt"))
	}
	if len(locs[res]) == 1 && !slices.Equal(locs[res][0].Prior, prior) {
		t.Errorf("resolution prior %v, want one blob per parent %v", locs[res][0].Prior, prior)
	}
	if st := h.Stats(); st.Commits != 5 {
		t.Errorf("%d commits, want 5", st.Commits)
	}
}

func TestHistoryRenameCopyAndModeChange(t *testing.T) {
	r := newTestRepo(t)
	r.write("old/name.txt", "moving "+newFixture(t).Password+"\n")
	c1 := r.commit("add", day(1), "")
	blob := r.rev(c1 + ":old/name.txt")
	r.git("mv", "old", "new")
	c2 := r.commit("rename", day(2), "")
	r.git("update-index", "--chmod=+x", "new/name.txt")
	c3 := r.commitIndex("chmod", day(3))
	h := r.open().History()
	locs := locate(t, h, blob)[blob]
	// A mode change adds no content: c3 is not a place the blob came in.
	wantPlaces(t, "renamed blob", locs, "old/name.txt@"+c1, "new/name.txt@"+c2)
	for _, l := range locs {
		if l.Commit == c3 {
			t.Errorf("mode change at %s taken for an introduction", c3)
		}
		if l.Commit != c3 && len(l.Prior) != 0 {
			t.Errorf("%s: prior %v, want none", l.Path, l.Prior)
		}
	}
}

func TestHistoryTaggedUnreachableCommit(t *testing.T) {
	for _, annotated := range []bool{false, true} {
		t.Run(fmt.Sprint("annotated=", annotated), func(t *testing.T) {
			r := newTestRepo(t)
			r.write("a.txt", "a\n")
			r.commit("one", day(1), "")
			r.git("checkout", "-q", "-b", "tmp")
			r.write("tagged.txt", "tagged "+newFixture(t).Token+"\n")
			c2 := r.commit("tagged", day(2), "")
			if annotated {
				r.git("tag", "-a", "-m", "release", "v1")
			} else {
				r.git("tag", "v1")
			}
			r.git("checkout", "-q", "main")
			r.git("branch", "-q", "-D", "tmp")
			h := r.open().History()
			blob := r.rev(c2 + ":tagged.txt")
			only(t, collect(t, h), blob)
			wantPlaces(t, "tagged", locate(t, h, blob)[blob], "tagged.txt@"+c2)
			if st := h.Stats(); st.Commits != 2 {
				t.Errorf("%d commits, want 2", st.Commits)
			}
		})
	}
}

func TestHistoryDanglingBlobIsReadButNotPlaced(t *testing.T) {
	r := newTestRepo(t)
	first := "first " + newFixture(t).Key + "\n"
	r.write("a.txt", first)
	c1 := r.commit("one", day(1), "")
	dangling := r.rev(c1 + ":a.txt")
	r.write("a.txt", "amended\n")
	r.git("add", "a.txt")
	r.gitEnv([]string{"GIT_AUTHOR_DATE=" + day(2), "GIT_COMMITTER_DATE=" + day(2)}, "commit", "-q", "--amend", "-m", "one")
	r.write("never-added.txt", "written, never committed\n")
	loose := r.git("hash-object", "-w", "never-added.txt")
	h := r.open().History()
	chunks := collect(t, h)
	if got := string(only(t, chunks, dangling).Data); got != first {
		t.Fatalf("dangling blob read as %q", got)
	}
	only(t, chunks, loose)
	kept := r.rev("HEAD:a.txt")
	locs := locate(t, h, dangling, loose, kept)
	if l, ok := locs[dangling]; ok {
		t.Errorf("the amended-away blob was placed at %v", places(l))
	}
	if l, ok := locs[loose]; ok {
		t.Errorf("a blob no commit holds was placed at %v", places(l))
	}
	wantPlaces(t, "kept", locs[kept], "a.txt@"+r.rev("HEAD"))
	if st := h.Stats(); st.Commits != 1 || st.Blobs != 3 {
		t.Errorf("stats %+v, want 1 commit (reflogs are not refs), 3 blobs", st)
	}
}

func TestHistoryRefsToBlobsAndTrees(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "a\n")
	c1 := r.commit("one", day(1), "")
	r.write("tagged-blob", "tagged blob\n")
	blob := r.git("hash-object", "-w", "tagged-blob")
	r.git("tag", "blobtag", blob)
	r.git("tag", "-a", "-m", "annotated blob", "annblob", blob)
	r.git("tag", "treetag", r.rev("HEAD^{tree}"))
	h := r.open().History()
	only(t, collect(t, h), blob)
	a := r.rev("HEAD:a.txt")
	locs := locate(t, h, blob, a)
	if l, ok := locs[blob]; ok {
		t.Errorf("a blob only a tag names was placed at %v", places(l))
	}
	wantPlaces(t, "a.txt", locs[a], "a.txt@"+c1)
	if st := h.Stats(); st.Commits != 1 {
		t.Errorf("%d commits, want 1", st.Commits)
	}
}

func TestHistoryPackedAndLooseObjects(t *testing.T) {
	r := newTestRepo(t)
	for i := range 20 {
		r.write(fmt.Sprintf("f%02d.txt", i), fmt.Sprintf("file %d\n", i))
	}
	r.commit("many", day(1), "")
	r.git("gc", "-q")
	r.write("late.txt", "loose\n")
	r.commit("late", day(2), "")
	h := r.open().History()
	chunks := collect(t, h)
	if len(chunks) != 21 {
		t.Fatalf("%d contents, want 21", len(chunks))
	}
	only(t, chunks, r.rev("HEAD:late.txt"))
	only(t, chunks, r.rev("HEAD:f07.txt"))
	if st := h.Stats(); st.Blobs != 21 || st.Commits != 2 {
		t.Errorf("stats %+v", st)
	}
}

func TestHistoryLocateManyTargets(t *testing.T) {
	r := newTestRepo(t)
	const n = maxFindObjects + 44
	for i := range n {
		r.write(fmt.Sprintf("d/f%03d.txt", i), fmt.Sprintf("content %d\n", i))
	}
	c1 := r.commit("many", day(1), "")
	r.write("d/f000.txt", "changed\n")
	r.commit("change", day(2), "")
	h := r.open().History()
	var want []string
	for i := range n {
		want = append(want, r.rev(fmt.Sprintf("%s:d/f%03d.txt", c1, i)))
	}
	locs := locate(t, h, want...)
	for i, id := range want {
		wantPlaces(t, id, locs[id], fmt.Sprintf("d/f%03d.txt@%s", i, c1))
	}
	if len(locs) != n {
		t.Errorf("%d blobs placed, want %d (no others)", len(locs), n)
	}
	if got := locate(t, h); len(got) != 0 {
		t.Errorf("Locate of no ids: %v", got)
	}
}

func TestHistoryOfARepositoryWithoutCommits(t *testing.T) {
	r := newTestRepo(t)
	r.write("staged.txt", "staged only\n")
	r.git("add", "staged.txt")
	h := r.open().History()
	blob := r.rev(":staged.txt")
	only(t, collect(t, h), blob)
	if locs := locate(t, h, blob); len(locs) != 0 {
		t.Errorf("placed %v", locs)
	}
	if st := h.Stats(); st.Commits != 0 || st.Blobs != 1 || st.Warnings != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestHistoryLocateKeepsOddPathsExact(t *testing.T) {
	r := newTestRepo(t)
	for i, p := range oddPaths {
		r.write(p, strings.Repeat("y", i+1)+"\n")
	}
	c1 := r.commit("odd", day(1), "")
	h := r.open().History()
	var blobs []string
	for _, p := range oddPaths {
		blobs = append(blobs, r.rev(":"+p))
	}
	locs := locate(t, h, blobs...)
	for i, p := range oddPaths {
		wantPlaces(t, fmt.Sprintf("%q", p), locs[blobs[i]], p+"@"+c1)
	}
}

func TestReadBlobsReadsByIDWithoutLocations(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "old\n")
	c1 := r.commit("one", day(1), "")
	r.write("a.txt", "new\n")
	r.commit("two", day(2), "")
	old, cur := r.rev(c1+":a.txt"), r.rev("HEAD:a.txt")
	unknown := strings.Repeat("ab", 20)
	tree := r.rev("HEAD^{tree}")
	var mu sync.Mutex
	var got []finding.Chunk
	err := r.open().ReadBlobs(context.Background(), []string{old, unknown, tree, cur}, func(c finding.Chunk) error {
		c.Data = append([]byte(nil), c.Data...)
		mu.Lock()
		defer mu.Unlock()
		got = append(got, c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string][]finding.Chunk{}
	for _, c := range got {
		if len(c.Locations) != 0 {
			t.Errorf("%s has locations %v", c.ID, c.Locations)
		}
		byID[c.ID] = append(byID[c.ID], c)
	}
	if want := map[string]string{old: "old\n", cur: "new\n"}; !maps.Equal(texts(t, byID), want) {
		t.Errorf("read %q, want %q (no tree, nothing for a missing id)", texts(t, byID), want)
	}
}
