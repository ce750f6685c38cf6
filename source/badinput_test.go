package source

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/scanner-dev/scanner/finding"
)

func TestOpenRepoErrors(t *testing.T) {
	if gitBinary() == "" {
		t.Skip("no git binary")
	}
	plain := t.TempDir()
	file := filepath.Join(plain, "file.txt")
	if err := os.WriteFile(file, []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		path string
		is   error
	}{
		"plain directory": {plain, ErrNotRepository},
		"missing path":    {filepath.Join(plain, "nope"), fs.ErrNotExist},
		"a file":          {file, nil},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			repo, err := OpenRepo(bg(), c.path, quiet())
			if err == nil {
				t.Fatalf("OpenRepo(%s) = %v, want an error", c.path, repo)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Fatalf("OpenRepo(%s): %v, want it to wrap %v", c.path, err, c.is)
			}
		})
	}
}

func TestOpenRepoFromASubdirectoryAndABareClone(t *testing.T) {
	r := newTestRepo(t)
	r.write("sub/dir/a.txt", "a\n")
	r.commit("one", day(1), "")
	bare := filepath.Join(t.TempDir(), "bare.git")
	r.git("clone", "-q", "--bare", r.dir, bare)
	blob := r.rev("HEAD:sub/dir/a.txt")
	for name, path := range map[string]string{"subdirectory": filepath.Join(r.dir, "sub", "dir"), "bare": bare} {
		t.Run(name, func(t *testing.T) {
			repo, err := OpenRepo(bg(), path, quiet())
			if err != nil {
				t.Fatal(err)
			}
			h := repo.History()
			if got := string(only(t, collect(t, h), blob).Data); got != "a\n" {
				t.Fatalf("read %q", got)
			}
			wantPlaces(t, "a.txt", locate(t, h, blob)[blob], "sub/dir/a.txt@"+r.rev("HEAD"))
		})
	}
}

func TestShallowCloneScansAndWarns(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "old\n")
	r.commit("one", day(1), "")
	r.write("a.txt", "new "+newFixture(t).Token+"\n")
	r.write("b.txt", "b\n")
	r.commit("two", day(2), "")
	clone := &testRepo{t: t, dir: filepath.Join(t.TempDir(), "shallow")}
	r.git("clone", "-q", "--depth", "1", "file://"+r.dir, clone.dir)
	if clone.git("rev-parse", "--is-shallow-repository") != "true" {
		t.Fatal("clone is not shallow")
	}
	h := clone.open().History()
	chunks := collect(t, h)
	a, b := clone.rev("HEAD:a.txt"), clone.rev("HEAD:b.txt")
	if len(chunks) != 2 || len(chunks[a]) != 1 || len(chunks[b]) != 1 {
		t.Fatalf("contents %v, want a.txt and b.txt of the tip", ids(chunks))
	}
	if st := h.Stats(); st.Warnings != 1 || st.Commits != 1 || st.Blobs != 2 {
		t.Errorf("stats %+v, want 1 commit, 2 blobs, 1 warning (shallow)", st)
	}
	head := clone.rev("HEAD")
	wantPlaces(t, "a.txt", locate(t, h, a)[a], "a.txt@"+head)
	src, err := clone.open().Range(bg(), "HEAD..HEAD")
	if err != nil {
		t.Fatal(err)
	}
	collect(t, src)
	if st := src.Stats(); st.Warnings != 1 {
		t.Errorf("range stats %+v, want the shallow warning", st)
	}
}

// corruptRepo is a repository of loose objects: small.txt, big.txt and
// ten other files, all added by commit c2 on top of c1.
type corruptRepo struct {
	*testRepo
	c1, c2 string
	want   map[string]string // blob id -> content, of the files left intact
}

func newCorruptRepo(t *testing.T) *corruptRepo {
	r := &corruptRepo{testRepo: newTestRepo(t), want: map[string]string{}}
	r.c1 = r.commit("empty", day(1), "")
	files := map[string]string{"small.txt": "small\n", "big.txt": string(pattern(300000, 70))}
	for i := range 10 {
		files[fmt.Sprintf("f%d.txt", i)] = fmt.Sprintf("intact %d\n", i)
	}
	for p, c := range files {
		r.write(p, c)
	}
	r.c2 = r.commit("files", day(2), "")
	for p, c := range files {
		r.want[r.rev(r.c2+":"+p)] = c
	}
	return r
}

// overwrite replaces the loose object of path at c2 with data.
func (r *corruptRepo) overwrite(path string, data func(old []byte) []byte) string {
	id := r.rev(r.c2 + ":" + path)
	file := r.objectFile(id)
	old, err := os.ReadFile(file)
	if err != nil {
		r.t.Fatal(err)
	}
	if err := os.Chmod(file, 0o644); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(file, data(old), 0o644); err != nil {
		r.t.Fatal(err)
	}
	delete(r.want, id)
	return id
}

func TestCorruptLooseObjectDoesNotStopTheScan(t *testing.T) {
	cases := map[string]struct {
		path string
		data func(old []byte) []byte
	}{
		"garbage":        {"small.txt", func([]byte) []byte { return []byte("this is not zlib data at all") }},
		"truncated body": {"big.txt", func(old []byte) []byte { return old[:len(old)/2] }},
		"bad header":     {"small.txt", func([]byte) []byte { return deflate("blob nonsense\x00small\n") }},
	}
	for name, c := range cases {
		for _, kind := range []string{"history", "range"} {
			t.Run(name+"/"+kind, func(t *testing.T) {
				r := newCorruptRepo(t)
				bad := r.overwrite(c.path, c.data)
				var src Source = r.open().History()
				if kind == "range" {
					var err error
					if src, err = r.open().Range(bg(), r.c1+".."+r.c2); err != nil {
						t.Fatal(err)
					}
				}
				chunks := collect(t, src)
				for id, content := range r.want {
					if cs := chunks[id]; len(cs) != 1 || string(cs[0].Data) != content {
						t.Errorf("intact blob %s: %d chunks", id, len(cs))
					}
				}
				if st := src.Stats(); st.Warnings == 0 || st.CorruptBlobs != 1 || st.MissingBlobs != 0 {
					t.Errorf("stats %+v: the unreadable object %s was not counted as one corrupt blob", st, bad)
				}
			})
		}
	}
}

func deflate(s string) []byte {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return b.Bytes()
}

func TestMissingBlobIsAWarning(t *testing.T) {
	r := newCorruptRepo(t)
	gone := r.rev(r.c2 + ":small.txt")
	if err := os.Remove(r.objectFile(gone)); err != nil {
		t.Fatal(err)
	}
	delete(r.want, gone)
	src, err := r.open().Range(bg(), r.c1+".."+r.c2)
	if err != nil {
		t.Fatal(err)
	}
	chunks := collect(t, src)
	if len(chunks) != len(r.want) || chunks[gone] != nil {
		t.Errorf("read %d contents, want the %d intact ones", len(chunks), len(r.want))
	}
	if st := src.Stats(); st.Warnings != 1 || st.MissingBlobs != 1 || st.CorruptBlobs != 0 {
		t.Errorf("stats %+v, want 1 warning for the missing blob, counted as missing", st)
	}
}

func TestLFSPointerIsReadAsText(t *testing.T) {
	r := newTestRepo(t)
	base := r.commit("empty", day(1), "")
	pointer := "version https://git-lfs.github.com/spec/v1\noid sha256:" + newFixture(t).Hex + "\nsize 123456\n"
	r.write(".gitattributes", "*.bin filter=lfs diff=lfs merge=lfs -text\n")
	r.write("model.bin", pointer)
	r.commit("lfs", day(2), "")
	blob := r.rev("HEAD:model.bin")
	src, err := r.open().Range(bg(), base+"..main")
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]Source{"history": r.open().History(), "range": src} {
		c := only(t, collect(t, s), blob)
		if string(c.Data) != pointer || s.Stats().SkippedBinary != 0 {
			t.Errorf("%s: read %q, stats %+v", name, c.Data, s.Stats())
		}
	}
}

func TestSubmoduleGitlinkIsNeitherReadNorLocated(t *testing.T) {
	other := newTestRepo(t)
	sub := other.commit("submodule tip", day(1), "")
	r := newTestRepo(t)
	r.write("a.txt", "a\n")
	c1 := r.commit("one", day(2), "")
	r.write("b.txt", "b\n")
	r.git("add", "b.txt")
	r.git("update-index", "--add", "--cacheinfo", "160000,"+sub+",sub")
	if got := ids(collect(t, r.open().Staged(context.Background()))); len(got) != 1 || got[0] != r.rev(":b.txt") {
		t.Errorf("staged contents %v, want b.txt only", got)
	}
	c2 := r.commitIndex("add submodule", day(3))
	if mode := strings.Fields(r.git("ls-tree", "HEAD", "sub"))[0]; mode != "160000" {
		t.Fatalf("sub has mode %s", mode)
	}
	src, err := r.open().Range(bg(), c1+".."+c2)
	if err != nil {
		t.Fatal(err)
	}
	b := r.rev("HEAD:b.txt")
	if got := ids(collect(t, src)); len(got) != 1 || got[0] != b {
		t.Errorf("range contents %v, want b.txt only", got)
	}
	h := r.open().History()
	if chunks := collect(t, h); len(chunks) != 2 || chunks[sub] != nil {
		t.Errorf("history contents %v", ids(chunks))
	}
	locs := locate(t, h, sub, b)
	if l, ok := locs[sub]; ok {
		t.Errorf("the gitlink was placed at %v", places(l))
	}
	wantPlaces(t, "b.txt", locs[b], "b.txt@"+c2)
	if st := h.Stats(); st.Commits != 2 || st.Warnings != 0 {
		t.Errorf("stats %+v", st)
	}
}

// sourceKinds builds one source of each kind over a repository with n new
// files in its last commit and n staged modifications.
func sourceKinds(t *testing.T, n int) map[string]func() Source {
	r := newTestRepo(t)
	base := r.commit("empty", day(1), "")
	for i := range n {
		r.write(fmt.Sprintf("f%03d.txt", i), fmt.Sprintf("file %d\n", i))
	}
	r.commit("files", day(2), "")
	for i := range n {
		r.write(fmt.Sprintf("f%03d.txt", i), fmt.Sprintf("staged %d\n", i))
	}
	r.git("add", "-A")
	one := quiet()
	one.Workers = 1
	return map[string]func() Source{
		"history": func() Source { return r.openWith(one).History() },
		"range": func() Source {
			src, err := r.openWith(one).Range(bg(), base+"..main")
			if err != nil {
				t.Fatal(err)
			}
			return src
		},
		"staged": func() Source { return r.openWith(one).Staged(context.Background()) },
		"dir": func() Source {
			d, err := NewDir(r.dir, one)
			if err != nil {
				t.Fatal(err)
			}
			return d
		},
		"reader": func() Source { return NewReader("stdin", bytes.NewReader(pattern(n*100, 10)), quiet()) },
	}
}

func TestCancelledContextStopsChunks(t *testing.T) {
	for name, mk := range sourceKinds(t, 30) {
		t.Run(name, func(t *testing.T) {
			for range 20 { // a race between stopping and queueing must never win
				ctx, cancel := context.WithCancel(bg())
				cancel()
				var calls atomic.Int64
				err := mk().Chunks(ctx, func(finding.Chunk) error { calls.Add(1); return nil })
				if !errors.Is(err, context.Canceled) || calls.Load() != 0 {
					t.Fatalf("Chunks with a cancelled context = %v after %d calls, want context.Canceled", err, calls.Load())
				}
			}
		})
	}
}

func TestCancellingDuringChunksStopsIt(t *testing.T) {
	const n = 60
	for name, mk := range sourceKinds(t, n) {
		if name == "reader" {
			continue // one content: nothing left to stop once it is queued
		}
		t.Run(name, func(t *testing.T) {
			for range 10 { // the cancellation races with git's output: it must never lose
				ctx, cancel := context.WithCancel(bg())
				var calls atomic.Int64
				err := mk().Chunks(ctx, func(finding.Chunk) error { calls.Add(1); cancel(); return nil })
				cancel()
				if !errors.Is(err, context.Canceled) || calls.Load() >= n {
					t.Fatalf("Chunks = %v after %d calls, want context.Canceled early", err, calls.Load())
				}
			}
		})
	}
}

func TestCallbackErrorIsReturned(t *testing.T) {
	errStop := errors.New("stop here")
	for name, mk := range sourceKinds(t, 40) {
		t.Run(name, func(t *testing.T) {
			var calls atomic.Int64
			err := mk().Chunks(bg(), func(finding.Chunk) error { calls.Add(1); return errStop })
			if !errors.Is(err, errStop) || calls.Load() == 0 {
				t.Fatalf("Chunks = %v after %d calls, want the callback's error", err, calls.Load())
			}
		})
	}
}
