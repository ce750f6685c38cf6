package source

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
)

// testRepo is a real git repository built with the git CLI for a test.
type testRepo struct {
	t   *testing.T
	dir string
}

// newTestRepo makes an empty repository (branch main) in a temporary
// directory, isolated from the user's and the system's git configuration.
func newTestRepo(t *testing.T) *testRepo {
	t.Helper()
	if gitBinary() == "" {
		t.Skip("no git binary")
	}
	r := &testRepo{t: t, dir: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	return r
}

// git runs git in the repository and returns its trimmed output.
func (r *testRepo) git(args ...string) string {
	r.t.Helper()
	return r.gitEnv(nil, args...)
}

func (r *testRepo) gitEnv(env []string, args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Ada Dev", "GIT_AUTHOR_EMAIL=ada@example.com",
		"GIT_COMMITTER_NAME=Ada Dev", "GIT_COMMITTER_EMAIL=ada@example.com")
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// write writes a file in the work tree, creating directories.
func (r *testRepo) write(path, content string) {
	r.t.Helper()
	p := filepath.Join(r.dir, path)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// commit stages everything and commits it with the given author date
// (RFC 3339) and author, returning the commit id.
func (r *testRepo) commit(msg, date, author string) string {
	r.t.Helper()
	r.git("add", "-A")
	name, email, _ := strings.Cut(author, " <")
	env := []string{"GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date}
	if author != "" {
		env = append(env, "GIT_AUTHOR_NAME="+name, "GIT_AUTHOR_EMAIL="+strings.TrimSuffix(email, ">"))
	}
	r.gitEnv(env, "commit", "-q", "--allow-empty", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

// open opens the repository for scanning with quiet logs.
func (r *testRepo) open() *Repo {
	r.t.Helper()
	repo, err := OpenRepo(context.Background(), r.dir, Options{Log: zerolog.Nop()})
	if err != nil {
		r.t.Fatal(err)
	}
	return repo
}

// collect runs a source and returns copies of its chunks' data by content id
// (windows of one content concatenated in offset order is not attempted:
// tests use small content).
func collect(t *testing.T, src Source) map[string][]finding.Chunk {
	t.Helper()
	out := map[string][]finding.Chunk{}
	ch := make(chan finding.Chunk, 1024)
	done := make(chan struct{})
	go func() {
		for c := range ch {
			out[c.ID] = append(out[c.ID], c)
		}
		close(done)
	}()
	err := src.Chunks(context.Background(), func(c finding.Chunk) error {
		c.Data = append([]byte(nil), c.Data...)
		ch <- c
		return nil
	})
	close(ch)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	placeLate(t, src, out)
	return out
}

// placeLate gives chunks that came without locations those the source's
// Locate gives, as the pipeline does: a range read while it is walked
// places its blobs once Chunks has returned. A history (a Marker) is left as
// it is: placing it is a walk of its own, which its tests ask for.
func placeLate(t *testing.T, src Source, out map[string][]finding.Chunk) {
	t.Helper()
	loc, ok := src.(Locator)
	if _, walks := src.(Marker); !ok || walks {
		return
	}
	var ids []string
	for id, cs := range out {
		if len(cs[0].Locations) == 0 {
			ids = append(ids, id)
		}
	}
	found, err := loc.Locate(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		for i := range out[id] {
			out[id][i].Locations = found[id]
		}
	}
}
