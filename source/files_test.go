package source

import (
	"errors"
	"io/fs"
	"path/filepath"
	"testing"
)

func TestFileAtReadsACommitNotTheWorkTree(t *testing.T) {
	r := newTestRepo(t)
	r.write(".scanner.toml", "# at base\n")
	base := r.commit("base", day(1), "")
	r.write(".scanner.toml", "# at head\n")
	r.write("new.txt", "new\n")
	r.commit("head", day(2), "")
	r.write(".scanner.toml", "# in the work tree\n")

	gg, err := openGoGit(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	for name, repo := range map[string]*Repo{"git": r.open(), "go-git": {path: r.dir, b: gg}} {
		t.Run(name, func(t *testing.T) {
			got, err := repo.FileAt(bg(), base, ".scanner.toml")
			if err != nil || string(got) != "# at base\n" {
				t.Errorf("FileAt(base) = %q, %v", got, err)
			}
			if _, err := repo.FileAt(bg(), base, "new.txt"); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("a file the base lacks: %v, want fs.ErrNotExist", err)
			}
			root, _ := filepath.EvalSymlinks(r.dir)
			if got, _ := filepath.EvalSymlinks(repo.Root(bg())); got != root {
				t.Errorf("Root = %q, want %q", got, root)
			}
			if _, err := repo.FileAt(bg(), "--output=x", "a"); err == nil {
				t.Error("a revision that looks like an option was accepted")
			}
		})
	}
}

func TestIndexIsEveryStagedFileInFull(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "a\n")
	r.write("dir/b.txt", "b\n")
	r.commit("base", day(1), "")
	r.write("a.txt", "a changed\n")
	r.git("add", "a.txt")
	r.write("dir/b.txt", "b not staged\n")
	gg, err := openGoGit(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	for name, repo := range map[string]*Repo{"git": r.open(), "go-git": {path: r.dir, b: gg}} {
		t.Run(name, func(t *testing.T) {
			got := map[string]string{}
			for _, cs := range collect(t, repo.Index()) {
				for _, c := range cs {
					if len(c.Locations) != 1 || len(c.Locations[0].Prior) != 0 {
						t.Errorf("locations %+v: want one, without prior", c.Locations)
					}
					got[c.Locations[0].Path] = string(c.Data)
				}
			}
			if len(got) != 2 || got["a.txt"] != "a changed\n" || got["dir/b.txt"] != "b\n" {
				t.Errorf("index read %q", got)
			}
		})
	}
}
