package source

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/scanner-dev/scanner/finding"
)

// writeTree writes files (relative slash path -> content) under root.
func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// newDir opens a Dir source with quiet logs.
func newDir(t *testing.T, root string) *Dir {
	t.Helper()
	d, err := NewDir(root, quiet())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// collectWithin is collect with a deadline, for sources that could block
// on a special file.
func collectWithin(t *testing.T, src Source) map[string][]finding.Chunk {
	t.Helper()
	done := make(chan map[string][]finding.Chunk, 1)
	go func() { done <- collectQuiet(src) }()
	select {
	case chunks := <-done:
		if chunks == nil {
			t.Fatal("Chunks failed")
		}
		return chunks
	case <-time.After(30 * time.Second):
		t.Fatal("Chunks still running after 30s (blocked on a special file?)")
	}
	return nil
}

// collectQuiet is collect without a testing.T, for use off the test's
// goroutine: it returns nil on an error.
func collectQuiet(src Source) map[string][]finding.Chunk {
	ch := make(chan finding.Chunk, 1024)
	out := map[string][]finding.Chunk{}
	done := make(chan struct{})
	go func() {
		for c := range ch {
			out[c.ID] = append(out[c.ID], c)
		}
		close(done)
	}()
	err := src.Chunks(bg(), func(c finding.Chunk) error {
		c.Data = append([]byte(nil), c.Data...)
		ch <- c
		return nil
	})
	close(ch)
	<-done
	if err != nil {
		return nil
	}
	return out
}

func TestDirReadsRegularFilesOnly(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	secret := "password=" + newFixture(t).Password + "\n"
	files := map[string]string{
		"a.txt": "a\n", ".env": secret, "sub/b.txt": "b\n", "sub/deep/c.txt": "c\n",
		"sub/.git": "gitdir: ../.git/modules/sub\n", // a file named .git is content
	}
	writeTree(t, root, files)
	writeTree(t, root, map[string]string{
		".git/config": "[core]\n", "vendor/lib/.git/HEAD": "ref: refs/heads/main\n",
	})
	writeTree(t, outside, map[string]string{"target.txt": "outside\n", "d/x.txt": "outside dir\n"})
	links := map[string]string{
		"link-in.txt": filepath.Join(root, "a.txt"), "link-out.txt": filepath.Join(outside, "target.txt"),
		"linkdir": filepath.Join(outside, "d"), "dangling": filepath.Join(outside, "nope"),
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(root, "sub", "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := newDir(t, root)
	chunks := collectWithin(t, d)
	if got := texts(t, chunks); !maps.Equal(got, files) {
		t.Fatalf("read %q, want %q", got, files)
	}
	for id, cs := range chunks {
		c := cs[0]
		if len(c.Locations) != 1 || !reflect.DeepEqual(c.Locations[0], finding.Location{Path: id}) || c.Offset != 0 || c.Line != 1 {
			t.Errorf("%s: offset %d line %d locations %+v", id, c.Offset, c.Line, c.Locations)
		}
	}
	var n int64
	for _, c := range files {
		n += int64(len(c))
	}
	if st := d.Stats(); st.Blobs != int64(len(files)) || st.Bytes != n || st.Warnings != 0 || st.Commits != 0 {
		t.Errorf("stats %+v, want %d files of %d bytes", st, len(files), n)
	}
}

func TestDirRootForms(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{"a.txt": "a\n", "sub/b.txt": "b\n", "sub/deep/c.txt": "c\n"})
	file := filepath.Join(root, "sub", "b.txt")
	cases := []struct {
		name, root string
		ids        []string
	}{
		{"absolute", root, []string{"a.txt", "sub/b.txt", "sub/deep/c.txt"}},
		{"trailing slash", root + "/sub/", []string{"b.txt", "deep/c.txt"}},
		{"unclean", root + "/sub/../sub/deep", []string{"c.txt"}},
		{"single file", file, []string{file}},
		{"relative", ".", []string{"a.txt", "sub/b.txt", "sub/deep/c.txt"}},
		{"relative sub", "sub", []string{"b.txt", "deep/c.txt"}},
		{"relative file", "sub/b.txt", []string{"sub/b.txt"}},
	}
	t.Chdir(root)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			chunks := collect(t, newDir(t, c.root))
			if got := ids(chunks); !slices.Equal(got, c.ids) {
				t.Fatalf("ids %q, want %q", got, c.ids)
			}
			for _, id := range c.ids {
				if l := only(t, chunks, id).Locations; len(l) != 1 || l[0].Path != id {
					t.Errorf("%s at %+v", id, l)
				}
			}
		})
	}
}

func TestDirMissingRoot(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	d, err := NewDir(missing, quiet())
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("NewDir(missing) = %v, %v; want an error wrapping fs.ErrNotExist", d, err)
	}
}

func TestDirRootRemovedBeforeChunks(t *testing.T) {
	root := filepath.Join(t.TempDir(), "gone")
	writeTree(t, root, map[string]string{"a.txt": "a\n"})
	d := newDir(t, root)
	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	err := d.Chunks(bg(), func(finding.Chunk) error { return nil })
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Chunks on a vanished root: %v, want fs.ErrNotExist", err)
	}
}

func TestDirRootThatIsASymlinkIsFollowed(t *testing.T) {
	real, links := t.TempDir(), t.TempDir()
	writeTree(t, real, map[string]string{"a.txt": "a\n", "sub/b.txt": "b\n"})
	toDir, toFile := filepath.Join(links, "repo"), filepath.Join(links, "one.txt")
	for link, target := range map[string]string{toDir: real, toFile: filepath.Join(real, "a.txt")} {
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
	}
	for root, want := range map[string][]string{toDir: {"a.txt", "sub/b.txt"}, toFile: {toFile}} {
		t.Run(filepath.Base(root), func(t *testing.T) {
			d := newDir(t, root)
			if got := ids(collect(t, d)); !slices.Equal(got, want) {
				t.Fatalf("scanning %s (a link given as the root) read %q, want %q; stats %+v", root, got, want, d.Stats())
			}
		})
	}
}

func TestDirRootNamedGitIsScanned(t *testing.T) {
	root := filepath.Join(t.TempDir(), ".git")
	writeTree(t, root, map[string]string{"config": "[core]\n", "hooks/pre-commit": "#!/bin/sh\n"})
	if got, want := ids(collect(t, newDir(t, root))), []string{"config", "hooks/pre-commit"}; !slices.Equal(got, want) {
		t.Fatalf("ids %q, want %q", got, want)
	}
}
