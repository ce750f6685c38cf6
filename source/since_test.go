package source

import (
	"context"
	"sort"
	"testing"
)

// sinceBackends opens the repository with each backend.
func sinceBackends(t *testing.T, r *testRepo) map[string]*Repo {
	t.Helper()
	gg, err := openGoGit(r.dir)
	if err != nil {
		t.Fatalf("openGoGit: %v", err)
	}
	return map[string]*Repo{"cli": r.open(), "go-git": {path: r.dir, b: gg, opts: quiet()}}
}

func TestSinceReadsOnlyCommitsNoExcludedTipReaches(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "old content\n")
	c1 := r.commit("one", day(1), "Ada Dev <ada@example.com>")
	r.write("b.txt", "second\n")
	r.commit("two", day(2), "Ada Dev <ada@example.com>")
	tips := []string{r.rev("HEAD")}
	r.git("checkout", "-q", "-b", "feature", c1)
	r.write("c.txt", "on a branch\n")
	c3 := r.commit("three", day(3), "Bo Ops <bo@example.com>")
	r.git("checkout", "-q", "main")
	r.write("a.txt", "new content\n")
	c4 := r.commit("four", day(4), "Ada Dev <ada@example.com>")
	r.git("tag", "-a", "-m", "v1", "v1", c4)
	gone := "0123456789abcdef0123456789abcdef01234567" // a tip since collected
	for name, repo := range sinceBackends(t, r) {
		t.Run(name, func(t *testing.T) {
			src, err := repo.Since(context.Background(), append(tips, gone))
			if err != nil {
				t.Fatal(err)
			}
			chunks := collect(t, src)
			got := map[string]string{}
			for _, cs := range chunks {
				for _, l := range cs[0].Locations {
					got[l.Path] = l.Commit
				}
			}
			want := map[string]string{"c.txt": c3, "a.txt": c4}
			if len(got) != len(want) || got["c.txt"] != c3 || got["a.txt"] != c4 {
				t.Fatalf("got %v, want %v", got, want)
			}
			if st := src.Stats(); st.Commits != 2 || st.Blobs != 2 {
				t.Fatalf("stats %+v", st)
			}
		})
	}
}

func TestSinceWithoutExcludesIsEveryCommitAndWithAllTipsNothing(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "one\n")
	r.commit("one", day(1), "Ada Dev <ada@example.com>")
	r.write("b.txt", "two\n")
	r.commit("two", day(2), "Ada Dev <ada@example.com>")
	r.git("tag", "-a", "-m", "v1", "v1")
	tag := r.rev("refs/tags/v1")
	for name, repo := range sinceBackends(t, r) {
		t.Run(name, func(t *testing.T) {
			all, err := repo.Since(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(collect(t, all)); len(got) != 2 || all.Stats().Commits != 2 {
				t.Fatalf("full: blobs %v, stats %+v", got, all.Stats())
			}
			none, err := repo.Since(context.Background(), []string{tag}) // a tag peels to its commit
			if err != nil {
				t.Fatal(err)
			}
			if got := collect(t, none); len(got) != 0 || none.Stats().Commits != 0 {
				t.Fatalf("nothing new: got %d blobs, stats %+v", len(got), none.Stats())
			}
		})
	}
}

func TestSinceRejectsWhatIsNotAnObjectID(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "one\n")
	r.commit("one", day(1), "Ada Dev <ada@example.com>")
	bad := []string{"--output=/tmp/x", "HEAD", "main", "abc"}
	sort.Strings(bad)
	for _, id := range bad {
		if _, err := r.open().Since(context.Background(), []string{id}); err == nil {
			t.Errorf("%q accepted", id)
		}
	}
}
