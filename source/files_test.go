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
