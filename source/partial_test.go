package source

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
)

// partialClone makes a history of several versions of a file, serves it
// over file:// as a promisor remote, and clones it with --filter=blob:none
// (bare: no checkout, so that every blob is left on the remote). It
// returns the clone and the content of every blob of the history.
func partialClone(t *testing.T) (*testRepo, *testRepo, map[string]string) {
	src := newTestRepo(t)
	for i := range 5 {
		src.write("config.txt", fmt.Sprintf("version %d\n", i))
		src.write(fmt.Sprintf("notes/%d.txt", i), strings.Repeat("note\n", i+1))
		src.commit(fmt.Sprintf("c%d", i), day(i+1), "")
	}
	src.git("config", "uploadpack.allowFilter", "true")
	src.git("config", "uploadpack.allowAnySHA1InWant", "true")
	want := viaCatFile(t, src)
	dst := &testRepo{t: t, dir: filepath.Join(t.TempDir(), "clone.git")}
	src.git("clone", "-q", "--bare", "--filter=blob:none", "file://"+src.dir, dst.dir)
	return src, dst, want
}

// logged opens r with a logger writing to buf.
func logged(t *testing.T, r *testRepo, buf *bytes.Buffer) *Repo {
	repo, err := OpenRepo(bg(), r.dir, Options{Log: zerolog.New(buf)})
	if err != nil {
		t.Fatal(err)
	}
	return repo
}

func TestPartialCloneFetchesTheMissingBlobs(t *testing.T) {
	_, dst, want := partialClone(t)
	if n := len(viaCatFile(t, dst)); n != 0 {
		t.Fatalf("the clone already holds %d blobs: the test proves nothing", n)
	}
	var log bytes.Buffer
	h := logged(t, dst, &log).History()
	chunks := collect(t, h)
	got := texts(t, chunks)
	for id, content := range want {
		if got[id] != content {
			t.Errorf("blob %s: got %q, want %q", id, got[id], content)
		}
	}
	st := h.Stats()
	if st.FetchedBlobs != int64(len(want)) || st.MissingBlobs != 0 || st.Blobs != int64(len(want)) {
		t.Errorf("stats %+v, want %d blobs fetched and read, none missing", st, len(want))
	}
	if !strings.Contains(log.String(), "fetching objects the history references") {
		t.Errorf("no progress line in the log:\n%s", log.String())
	}
}

func TestPartialCloneOfflineNamesTheMissingBlobs(t *testing.T) {
	src, dst, want := partialClone(t)
	if err := os.RemoveAll(src.dir); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	h := logged(t, dst, &log).History()
	err := h.Chunks(bg(), func(c finding.Chunk) error { return nil })
	if !errors.Is(err, ErrNoBlobs) {
		t.Errorf("Chunks = %v, want ErrNoBlobs", err)
	}
	st := h.Stats()
	if st.MissingBlobs != int64(len(want)) || st.Warnings == 0 || st.FetchedBlobs != 0 {
		t.Errorf("stats %+v, want %d missing blobs and a warning", st, len(want))
	}
	for id := range want {
		if !strings.Contains(log.String(), id) {
			t.Errorf("the warning does not name missing blob %s:\n%s", id, log.String())
			break
		}
	}
}

func TestPartialCloneOfflineStillReadsWhatItHas(t *testing.T) {
	src, dst, want := partialClone(t)
	// one blob is fetched (as a checkout would), then the remote goes
	head := dst.git("rev-parse", "HEAD:config.txt")
	dst.git("cat-file", "-p", head)
	if err := os.RemoveAll(src.dir); err != nil {
		t.Fatal(err)
	}
	h := dst.openWith(quiet()).History()
	chunks := collect(t, h)
	if _, ok := chunks[head]; !ok {
		t.Errorf("the blob the clone holds (%s) was not read", head)
	}
	st := h.Stats()
	if st.MissingBlobs != int64(len(want)-1) || st.Blobs != 1 {
		t.Errorf("stats %+v: want some of the %d blobs missing", st, len(want))
	}
}
