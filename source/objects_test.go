package source

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// FileAt reads files of a commit in-process; what it answers must be what
// git cat-file answers, loose and packed, for every kind of path.
// everyKindOfPath commits nested files, a symlink and a submodule, and
// returns the commit.
func everyKindOfPath(t *testing.T, r *testRepo) string {
	t.Helper()
	r.write("top.toml", "a = 1\n")
	r.write("dir/sub/deep.txt", "deep\n")
	r.write("dir/file.txt", "file\n")
	if err := os.Symlink("top.toml", filepath.Join(r.dir, "link")); err != nil {
		t.Fatal(err)
	}
	c0 := r.commit("zero", day(1), "")
	r.git("update-index", "--add", "--cacheinfo", "160000,"+c0+",sub") // a submodule
	return r.commit("one", day(2), "")
}

func TestFileAtInProcessAgreesWithGit(t *testing.T) {
	r := newTestRepo(t)
	c := everyKindOfPath(t, r)
	paths := []string{"top.toml", "dir/sub/deep.txt", "dir/file.txt", "link", "sub", "dir", "dir/sub",
		"missing.toml", "dir/missing", "top.toml/x", "link/x", "dir//file.txt", "./top.toml", "dir/../top.toml"}
	gitSays := func(path string) (string, bool) {
		cmd := exec.Command("git", "cat-file", "blob", c+":"+path)
		cmd.Dir = r.dir
		out, err := cmd.Output()
		return string(out), err == nil
	}
	for _, packed := range []bool{false, true} {
		if packed {
			r.git("repack", "-adq")
		}
		repo := r.open()
		o, err := openObjReader(filepath.Join(r.dir, ".git", "objects"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range paths {
			want, ok := gitSays(path)
			got, err := repo.FileAt(context.Background(), c, path)
			switch {
			case ok && (err != nil || string(got) != want):
				t.Errorf("packed %v: %s: got %q, %v; git says %q", packed, path, got, err, want)
			case !ok && !errors.Is(err, fs.ErrNotExist):
				t.Errorf("packed %v: %s: got %q, %v; git has no blob there", packed, path, got, err)
			}
			// the in-process reader itself: the same, or "ask git"
			got, err = o.fileAt(c, path)
			switch {
			case errors.Is(err, errNotPacked):
			case ok && (err != nil || string(got) != want):
				t.Errorf("in-process, packed %v: %s: got %q, %v; git says %q", packed, path, got, err, want)
			case !ok && !errors.Is(err, fs.ErrNotExist):
				t.Errorf("in-process, packed %v: %s: got %q, %v; git has no blob there", packed, path, got, err)
			}
		}
		o.close()
	}
}

func TestFileAtRevisionsAreResolvedOnce(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "one\n")
	r.commit("one", day(1), "")
	repo := r.open()
	if got, err := repo.FileAt(context.Background(), "HEAD", "a.txt"); err != nil || string(got) != "one\n" {
		t.Fatalf("got %q, %v", got, err)
	}
	r.write("a.txt", "two\n")
	r.commit("two", day(2), "")
	// HEAD was resolved by the first call: a run reads its configuration
	// from one commit, even if the branch moves meanwhile
	if got, _ := repo.FileAt(context.Background(), "HEAD", "a.txt"); string(got) != "one\n" {
		t.Errorf("got %q from a HEAD resolved again", got)
	}
	if _, err := repo.FileAt(context.Background(), "no-such-rev", "a.txt"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("bad revision: %v", err)
	}
}

func TestTreeBlobsInProcessAgreeWithLsTree(t *testing.T) {
	r := newTestRepo(t)
	c := everyKindOfPath(t, r)
	for _, packed := range []bool{false, true} {
		if packed {
			r.git("repack", "-adq")
		}
		b := r.open().b.(cliBackend)
		want := map[string]string{}
		for _, line := range strings.Split(r.git("ls-tree", "-r", c), "\n") {
			meta, path, _ := strings.Cut(line, "\t")
			if f := strings.Fields(meta); f[1] == "blob" {
				want[path] = f[2]
			}
		}
		got, err := b.treeBlobs(c)
		if err != nil || !maps.Equal(got, want) {
			t.Errorf("packed %v: %v, %v; ls-tree says %v", packed, got, err, want)
		}
	}
}
