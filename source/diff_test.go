package source

import (
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
)

// rangeRepo is a repository of three commits: c1 adds a.txt and keep.txt;
// c2 (Bo) changes a.txt to a credential and adds new.txt; c3 (Cy) deletes
// keep.txt and adds dir/x.txt.
type rangeRepo struct {
	*testRepo
	c1, c2, c3 string
	secret     string
}

func newRangeRepo(t *testing.T) *rangeRepo {
	r := &rangeRepo{testRepo: newTestRepo(t), secret: "key=" + newFixture(t).Key + "\n"}
	r.write("a.txt", "base\n")
	r.write("keep.txt", "keep\n")
	r.c1 = r.commit("one", day(1), "")
	r.write("a.txt", r.secret)
	r.write("new.txt", "new\n")
	r.c2 = r.commit("two", "2024-02-03T04:05:06+02:00", "Bo Ops <bo@example.com>")
	r.git("rm", "-q", "keep.txt")
	r.write("dir/x.txt", "x\n")
	r.c3 = r.commit("three", day(3), "Cy Sec <cy@example.com>")
	return r
}

func TestRangeReadsOnlyWhatItsCommitsAdded(t *testing.T) {
	r := newRangeRepo(t)
	src, err := r.open().Range(context.Background(), r.c1+".."+r.c3)
	if err != nil {
		t.Fatal(err)
	}
	chunks := collect(t, src)
	a, n, x := r.rev(r.c2+":a.txt"), r.rev(r.c2+":new.txt"), r.rev(r.c3+":dir/x.txt")
	want := map[string]string{a: r.secret, n: "new\n", x: "x\n"}
	if got := texts(t, chunks); !maps.Equal(got, want) {
		t.Fatalf("contents %q, want %q", got, want)
	}
	wantPlaces(t, "a.txt", only(t, chunks, a).Locations, "a.txt@"+r.c2)
	wantPlaces(t, "dir/x.txt", only(t, chunks, x).Locations, "dir/x.txt@"+r.c3)

	l := only(t, chunks, a).Locations[0]
	date := time.Date(2024, 2, 3, 4, 5, 6, 0, time.FixedZone("", 2*3600))
	if l.AuthorName != "Bo Ops" || l.AuthorEmail != "bo@example.com" || !l.Date.Equal(date) || l.Blob != a {
		t.Errorf("a.txt location %+v", l)
	}
	if prior := r.rev(r.c1 + ":a.txt"); !slices.Equal(l.Prior, []string{prior}) {
		t.Errorf("a.txt prior %v, want [%s] (the blob c2 replaced)", l.Prior, prior)
	}
	if p := only(t, chunks, n).Locations[0].Prior; len(p) != 0 {
		t.Errorf("new.txt is new, yet has prior %v", p)
	}
	st := src.Stats()
	if st.Commits != 2 || st.Blobs != 3 || st.Bytes != int64(len(r.secret)+len("new\nx\n")) {
		t.Errorf("stats %+v, want 2 commits, 3 blobs", st)
	}
}

func TestRangeSpecs(t *testing.T) {
	r := newRangeRepo(t)
	r.git("tag", "-a", "-m", "v1", "v1", r.c1)
	repo := r.open()
	cases := []struct {
		spec    string
		commits int64
		paths   []string
	}{
		{spec: r.c3 + ".." + r.c3},
		{spec: "main..main"},
		{spec: "HEAD..HEAD~1"},
		{spec: r.c2 + ".." + r.c3, commits: 1, paths: []string{"dir/x.txt"}},
		{spec: "HEAD~2..HEAD~1", commits: 1, paths: []string{"a.txt", "new.txt"}},
		{spec: "v1..main", commits: 2, paths: []string{"a.txt", "dir/x.txt", "new.txt"}},
		{spec: r.c3 + "..." + r.c2, commits: 1, paths: []string{"dir/x.txt"}},
	}
	for _, c := range cases {
		t.Run(c.spec, func(t *testing.T) {
			src, err := repo.Range(context.Background(), c.spec)
			if err != nil {
				t.Fatal(err)
			}
			var paths []string
			for _, cs := range collect(t, src) {
				for _, l := range cs[0].Locations {
					paths = append(paths, l.Path)
				}
			}
			slices.Sort(paths)
			if !slices.Equal(paths, c.paths) || src.Stats().Commits != c.commits {
				t.Errorf("paths %q and %d commits, want %q and %d", paths, src.Stats().Commits, c.paths, c.commits)
			}
		})
	}
}

func TestRangeRejectsBadSpecs(t *testing.T) {
	r := newRangeRepo(t)
	repo := r.open()
	cases := map[string]struct{ spec, msg string }{
		"unknown base":      {"nope..main", "not a commit"},
		"unknown head":      {"main..nope", "not a commit"},
		"unknown symmetric": {"main...nope", "not a commit"},
		"blob, not commit":  {"HEAD:a.txt..main", "not a commit"},
		"one revision":      {"main", "want BASE..HEAD"},
		"no base":           {"..main", "want BASE..HEAD"},
		"no head":           {"main..", "want BASE..HEAD"},
		"dots only":         {"...", "want BASE..HEAD"},
		"option as base":    {"--output=" + filepath.Join(r.dir, "out") + "..main", "'-'"},
		"option as head":    {"main..-n1", "'-'"},
		"option symmetric":  {"main...-n1", "'-'"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			src, err := repo.Range(context.Background(), c.spec)
			if err == nil || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("Range(%q) = %v, %v; want an error saying %q", c.spec, src, err, c.msg)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(r.dir, "out")); err == nil {
		t.Error("an option given as a revision reached git")
	}
}

func TestRangeReadsABlobOnceWithEveryLocation(t *testing.T) {
	r := newTestRepo(t)
	base := r.commit("base", day(1), "")
	r.write("one.txt", "same\n")
	c2 := r.commit("one", day(2), "")
	r.write("two/copy.txt", "same\n")
	c3 := r.commit("two", day(3), "")
	src, err := r.open().Range(context.Background(), base+"..main")
	if err != nil {
		t.Fatal(err)
	}
	chunks := collect(t, src)
	blob := r.rev(c2 + ":one.txt")
	if len(chunks) != 1 {
		t.Fatalf("contents %v, want just %s", ids(chunks), blob)
	}
	wantPlaces(t, "blob", only(t, chunks, blob).Locations, "one.txt@"+c2, "two/copy.txt@"+c3)
	if st := src.Stats(); st.Blobs != 1 || st.Bytes != 5 || st.Commits != 2 {
		t.Errorf("stats %+v", st)
	}
}

func TestRangeOverAMergedSideBranch(t *testing.T) {
	r := newTestRepo(t)
	r.write("f.txt", "base\n")
	base := r.commit("base", day(1), "")
	r.git("checkout", "-q", "-b", "side")
	r.write("side.txt", "side only\n")
	r.write("f.txt", "side\n")
	side := r.commit("side", day(2), "")
	r.git("checkout", "-q", "main")
	r.write("f.txt", "main\n")
	onMain := r.commit("main", day(3), "")
	r.git("merge", "-q", "--no-ff", "-s", "ours", "-m", "merge", "side")
	r.write("f.txt", "resolved\n")
	last := r.commit("resolve", day(4), "")
	src, err := r.open().Range(context.Background(), base+".."+last)
	if err != nil {
		t.Fatal(err)
	}
	chunks := collect(t, src)
	wantPlaces(t, "side.txt", only(t, chunks, r.rev(side+":side.txt")).Locations, "side.txt@"+side)
	wantPlaces(t, "f.txt", only(t, chunks, r.rev(last+":f.txt")).Locations, "f.txt@"+last)
	wantPlaces(t, "main f.txt", only(t, chunks, r.rev(onMain+":f.txt")).Locations, "f.txt@"+onMain)
	if st := src.Stats(); st.Commits != 4 {
		t.Errorf("%d commits, want 4 (side, main, merge, resolve)", st.Commits)
	}
}

func TestRangeMergeResolutionHasBothPriors(t *testing.T) {
	r := newTestRepo(t)
	r.write("f.txt", "base\n")
	r.commit("base", day(1), "")
	r.git("checkout", "-q", "-b", "side")
	r.write("f.txt", "side\n")
	side := r.commit("side", day(2), "")
	r.git("checkout", "-q", "main")
	r.write("f.txt", "main\n")
	onMain := r.commit("main", day(3), "")
	r.git("merge", "-q", "--no-commit", "-s", "ours", "side")
	r.write("f.txt", "resolved\n")
	merge := r.commit("merge", day(4), "")
	src, err := r.open().Range(context.Background(), onMain+".."+merge)
	if err != nil {
		t.Fatal(err)
	}
	chunks := collect(t, src)
	blob := r.rev(merge + ":f.txt")
	c := only(t, chunks, blob)
	wantPlaces(t, "resolution", c.Locations, "f.txt@"+merge)
	want := []string{r.rev(onMain + ":f.txt"), r.rev(side + ":f.txt")}
	if got := c.Locations[0].Prior; !slices.Equal(got, want) {
		t.Errorf("prior %v, want %v (one blob per parent)", got, want)
	}
}

func TestStagedInARepositoryWithoutCommits(t *testing.T) {
	r := newTestRepo(t)
	secret := "token: " + newFixture(t).Token + "\n"
	r.write("a.txt", secret)
	r.write("dir/b.txt", "b\n")
	r.write("untracked.txt", "not staged\n")
	r.git("add", "a.txt", "dir/b.txt")
	src := r.open().Staged(context.Background())
	chunks := collect(t, src)
	a, b := r.rev(":a.txt"), r.rev(":dir/b.txt")
	if got, want := texts(t, chunks), map[string]string{a: secret, b: "b\n"}; !maps.Equal(got, want) {
		t.Fatalf("contents %q, want %q", got, want)
	}
	for id, path := range map[string]string{a: "a.txt", b: "dir/b.txt"} {
		l := only(t, chunks, id).Locations
		if len(l) != 1 || l[0].Path != path || l[0].Blob != id || l[0].Commit != "" || len(l[0].Prior) != 0 || !l[0].Date.IsZero() {
			t.Errorf("%s: locations %+v, want just the path and blob", path, l)
		}
	}
	if st := src.Stats(); st.Blobs != 2 || st.Commits != 0 || st.Warnings != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestStagedAgainstHead(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "v1\n")
	r.write("gone.txt", "gone\n")
	r.write("same.txt", "same\n")
	head := r.commit("one", day(1), "")
	r.write("a.txt", "v2 staged\n")
	r.write("new.txt", "new\n")
	r.git("add", "a.txt", "new.txt")
	r.git("rm", "-q", "gone.txt")
	r.write("a.txt", "v3 only in the work tree\n")
	r.write("same.txt", "changed, not staged\n")
	src := r.open().Staged(context.Background())
	chunks := collect(t, src)
	a, n := r.rev(":a.txt"), r.rev(":new.txt")
	if got, want := texts(t, chunks), map[string]string{a: "v2 staged\n", n: "new\n"}; !maps.Equal(got, want) {
		t.Fatalf("contents %q, want %q (the index, not the work tree; no deletion)", got, want)
	}
	l := only(t, chunks, a).Locations
	if len(l) != 1 || l[0].Path != "a.txt" || l[0].Commit != "" || !slices.Equal(l[0].Prior, []string{r.rev(head + ":a.txt")}) {
		t.Errorf("a.txt locations %+v, want prior = HEAD's blob", l)
	}
	if p := only(t, chunks, n).Locations[0].Prior; len(p) != 0 {
		t.Errorf("new.txt prior %v", p)
	}
}

func TestStagedWithNothingStaged(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "a\n")
	r.commit("one", day(1), "")
	r.git("rm", "-q", "a.txt")
	src := r.open().Staged(context.Background())
	if chunks := collect(t, src); len(chunks) != 0 {
		t.Fatalf("a staged deletion gave %v", ids(chunks))
	}
	if st := src.Stats(); st.Blobs != 0 || st.Bytes != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestStagedDuringAConflictedMerge(t *testing.T) {
	r := newTestRepo(t)
	r.write("f.txt", "base\n")
	r.commit("base", day(1), "")
	r.git("checkout", "-q", "-b", "side")
	r.write("f.txt", "side\n")
	r.commit("side", day(2), "")
	r.git("checkout", "-q", "main")
	r.write("f.txt", "main\n")
	r.commit("main", day(3), "")
	cmd := exec.Command("git", "merge", "-q", "side")
	cmd.Dir, cmd.Env = r.dir, append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Fatalf("merge did not conflict: %s", out)
	}
	r.write("n.txt", "n\n")
	r.git("add", "n.txt")
	chunks := collect(t, r.open().Staged(context.Background()))
	n := r.rev(":n.txt")
	if len(chunks) != 1 || string(only(t, chunks, n).Data) != "n\n" {
		t.Fatalf("contents %v, want only n.txt (unmerged entries have no blob)", ids(chunks))
	}
}

// oddPaths are file names git stores as they are and that a -z stream must
// hand back unchanged.
var oddPaths = []string{
	"with space/a b.txt",
	"ünïcödé/ファイル.txt",
	"tab\there.txt",
	"\"quoted\".txt",
	"back\\slash.txt",
	"trailing-newline.txt\n",
	"\nleading-newline.txt",
	":colon.txt",
	"\x01soh.txt",
}

func TestChangeSetsKeepOddPathsExact(t *testing.T) {
	r := newTestRepo(t)
	base := r.commit("empty", day(1), "")
	for i, p := range oddPaths {
		r.write(p, strings.Repeat("x", i+1)+"\n")
	}
	r.git("add", "-A")
	t.Run("staged", func(t *testing.T) { checkOddPaths(t, r, collect(t, r.open().Staged(context.Background()))) })
	r.commit("odd", day(2), "")
	t.Run("range", func(t *testing.T) {
		src, err := r.open().Range(context.Background(), base+"..main")
		if err != nil {
			t.Fatal(err)
		}
		checkOddPaths(t, r, collect(t, src))
	})
}

func checkOddPaths(t *testing.T, r *testRepo, chunks map[string][]finding.Chunk) {
	t.Helper()
	for i, p := range oddPaths {
		c := only(t, chunks, r.rev(":"+p))
		if len(c.Locations) != 1 || c.Locations[0].Path != p || len(c.Data) != i+2 {
			t.Errorf("%q: %d bytes at %+v", p, len(c.Data), c.Locations)
		}
	}
}

// A range with more blobs than one cat-file is given is read by several at
// once: every blob still arrives exactly once, with its own location.
func TestRangeSplitReadDeliversEveryBlobOnce(t *testing.T) {
	r := newTestRepo(t)
	r.write("README", "start\n")
	base := r.commit("start", "2024-01-01T00:00:00Z", "")
	n := minSplitRead*2 + 37
	for i := range n {
		r.write(fmt.Sprintf("d%d/f%d.txt", i%7, i), fmt.Sprintf("content %d\n", i))
	}
	head := r.commit("many", "2024-01-02T00:00:00Z", "")
	r.git("repack", "-adq") // packed: read by git, not as loose objects
	repo, err := OpenRepo(context.Background(), r.dir, Options{Log: zerolog.Nop(), Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if cb, ok := repo.b.(cliBackend); !ok || cb.readers != 2 {
		t.Fatalf("backend %T with %+v: want the git binary split over 2 readers", repo.b, repo.b)
	}
	src, err := repo.Range(context.Background(), base+".."+head)
	if err != nil {
		t.Fatal(err)
	}
	chunks := collect(t, src)
	if len(chunks) != n {
		t.Fatalf("%d contents, want %d", len(chunks), n)
	}
	for id, cs := range chunks {
		if len(cs) != 1 || len(cs[0].Locations) != 1 {
			t.Fatalf("%s: %d chunks, %+v", id, len(cs), cs)
		}
		var i int
		if _, err := fmt.Sscanf(string(cs[0].Data), "content %d", &i); err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("d%d/f%d.txt", i%7, i); cs[0].Locations[0].Path != want || cs[0].Locations[0].Commit != head {
			t.Errorf("content %d at %+v, want %s", i, cs[0].Locations[0], want)
		}
	}
	if st := src.Stats(); st.Blobs != int64(n) {
		t.Errorf("stats %+v, want %d blobs", st, n)
	}
}
