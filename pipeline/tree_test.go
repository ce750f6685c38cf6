package pipeline_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/source"
)

// In a range run the tree's files come from the base commit: a pull request
// that rewrites CODEOWNERS (or adds its own config) changes nothing.
func TestTreeReadsTheBaseCommitInRangeRuns(t *testing.T) {
	r := newRepo(t)
	base := r.commit(map[string]string{".github/CODEOWNERS": "* @owners\n"})
	r.commit(map[string]string{".github/CODEOWNERS": "* @attacker\n", ".scanner.toml": "[allowlist]\n"})
	repo, err := source.OpenRepo(context.Background(), r.dir, source.Options{Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	tree := pipeline.Tree{Root: r.dir, Repo: repo, Rev: base, Log: zerolog.Nop()}
	fsys, err := tree.FS(context.Background(), ".github/CODEOWNERS")
	if err != nil {
		t.Fatal(err)
	}
	got, err := fs.ReadFile(fsys, ".github/CODEOWNERS")
	if err != nil || string(got) != "* @owners\n" {
		t.Errorf("CODEOWNERS = %q, %v; want the base commit's", got, err)
	}
	data, _, own, err := tree.Read(context.Background(), "", ".scanner.toml", "config")
	if err != nil || data != nil || !own {
		t.Errorf("config the base lacks: data=%q own=%v err=%v; want none", data, own, err)
	}
}

// On disk, a file of the tree that is a symlink leading out of it is not
// read, whatever it is called.
func TestTreeNeverFollowsASymlinkOut(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret-owners")
	if err := os.WriteFile(outside, []byte("* @attacker\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, ".github"), 0o755)
	if err := os.Symlink(outside, filepath.Join(root, ".github", "CODEOWNERS")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, ".scanner.toml")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(root, "CODEOWNERS"), []byte("* @owners\n"), 0o644)
	tree := pipeline.Tree{Root: root, Log: zerolog.Nop()}
	fsys, err := tree.FS(context.Background(), ".github/CODEOWNERS", "CODEOWNERS")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.ReadFile(fsys, ".github/CODEOWNERS"); err == nil {
		t.Error("the symlinked CODEOWNERS was read")
	}
	if got, _ := fs.ReadFile(fsys, "CODEOWNERS"); string(got) != "* @owners\n" {
		t.Errorf("the tree's own CODEOWNERS = %q", got)
	}
	data, _, _, err := tree.Read(context.Background(), "", ".scanner.toml", "config")
	if err != nil || data != nil {
		t.Errorf("symlinked config: data=%q err=%v; want it not used", data, err)
	}
	// a symlink that stays inside the tree is fine
	os.Remove(filepath.Join(root, ".scanner.toml"))
	os.WriteFile(filepath.Join(root, "real.toml"), []byte("# ok\n"), 0o644)
	os.Symlink("real.toml", filepath.Join(root, ".scanner.toml"))
	if data, _, _, err := tree.Read(context.Background(), "", ".scanner.toml", "config"); err != nil || string(data) != "# ok\n" {
		t.Errorf("in-tree symlink: %q, %v", data, err)
	}
}
