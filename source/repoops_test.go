package source

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// fetcher is ghaction.Fetcher, restated: *Repo must keep satisfying it so
// that the action's checkout preparation can be handed the Repo itself.
type fetcher interface {
	HasCommit(ctx context.Context, rev string) bool
	Shallow(ctx context.Context) bool
	Fetch(ctx context.Context, unshallow bool, refspecs ...string) error
}

var _ fetcher = (*Repo)(nil)

// upstreamAndShallowClone makes a repository of three commits and a
// shallow (depth 1) clone of it whose origin is the first.
func upstreamAndShallowClone(t *testing.T) (up *testRepo, clone *Repo, commits []string) {
	t.Helper()
	up = newTestRepo(t)
	for i := 1; i <= 3; i++ {
		up.write("f.txt", fmt.Sprintf("version %d\n", i))
		commits = append(commits, up.commit(fmt.Sprint(i), day(i), ""))
	}
	dir := filepath.Join(t.TempDir(), "clone")
	up.git("clone", "-q", "--depth", "1", "file://"+up.dir, dir)
	c := &testRepo{t: t, dir: dir}
	return up, c.open(), commits
}

func TestFetchUnshallowsAndFetchesWhatIsMissing(t *testing.T) {
	up, repo, commits := upstreamAndShallowClone(t)
	ctx := bg()
	if !repo.Shallow(ctx) || !repo.HasCommit(ctx, commits[2]) || repo.HasCommit(ctx, commits[0]) {
		t.Fatal("the clone is not the shallow one expected")
	}
	if repo.HasCommit(ctx, "--all") || repo.HasCommit(ctx, "") {
		t.Fatal("an option or nothing passed for a commit")
	}
	if err := repo.Fetch(ctx, false, "--upload-pack=touch /tmp/x"); err == nil {
		t.Fatal("an option-like refspec was fetched")
	}
	up.write("g.txt", "on a side branch\n")
	up.git("checkout", "-q", "-b", "side")
	side := up.commit("side", day(5), "")
	if err := repo.Fetch(ctx, false, "+refs/heads/side:refs/remotes/origin/side"); err != nil {
		t.Fatal(err)
	}
	if !repo.HasCommit(ctx, side) || !repo.Shallow(ctx) {
		t.Fatal("fetching a refspec did not bring its commit, or unshallowed")
	}
	if err := repo.Fetch(ctx, true); err != nil {
		t.Fatal(err)
	}
	if repo.Shallow(ctx) || !repo.HasCommit(ctx, commits[0]) {
		t.Fatal("unshallow left history out")
	}
	if err := repo.Fetch(ctx, true); err != nil {
		t.Fatalf("unshallow of a complete repository: %v", err)
	}
	if err := repo.FetchFrom(ctx, "nowhere", FetchOptions{}); err == nil {
		t.Fatal("fetching from a missing remote gave no error")
	}
}

func TestFetchFromWithDepth(t *testing.T) {
	up := newTestRepo(t)
	for i := 1; i <= 3; i++ {
		up.write("f.txt", fmt.Sprintf("v%d\n", i))
		up.commit(fmt.Sprint(i), day(i), "")
	}
	r := newTestRepo(t)
	repo := r.open()
	if repo.Shallow(bg()) {
		t.Fatal("a new repository is shallow")
	}
	err := repo.FetchFrom(bg(), up.dir, FetchOptions{Depth: 1, Refspecs: []string{"+refs/heads/main:refs/remotes/up/main"}})
	if err != nil {
		t.Fatal(err)
	}
	if !repo.Shallow(bg()) || r.git("rev-list", "--count", "refs/remotes/up/main") != "1" {
		t.Fatal("depth 1 did not give one commit")
	}
}

func TestOriginConfigGitDirOnBothBackends(t *testing.T) {
	r := newTestRepo(t)
	r.commit("one", day(1), "")
	r.git("remote", "add", "origin", "https://github.com/acme/widgets.git")
	r.git("config", "scanner.allowSkip", "yes")
	r.git("config", "branch.main.flag", "true")
	gg, err := openGoGit(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	for name, repo := range map[string]*Repo{"cli": r.open(), "go-git": {path: r.dir, b: gg, opts: quiet()}} {
		t.Run(name, func(t *testing.T) {
			if got := repo.OriginURL(bg()); got != "https://github.com/acme/widgets.git" {
				t.Errorf("origin %q", got)
			}
			for key, want := range map[string]bool{"scanner.allowSkip": true, "scanner.other": false, "branch.main.flag": true, "branch.dev.flag": false} {
				got, err := repo.ConfigBool(bg(), key)
				if err != nil || got != want {
					t.Errorf("%s = %v, %v; want %v", key, got, err, want)
				}
			}
			if _, err := repo.ConfigBool(bg(), "--list"); err == nil {
				t.Error("an option passed for a key")
			}
		})
	}
	if got := r.open().GitDir(bg()); got != filepath.Join(r.dir, ".git") {
		t.Errorf("git dir %q", got)
	}
	bare := newTestRepo(t)
	if got := bare.open().OriginURL(bg()); got != "" {
		t.Errorf("origin of a repository without one: %q", got)
	}
	r.git("config", "scanner.bad", "maybe")
	if _, err := r.open().ConfigBool(bg(), "scanner.bad"); err == nil {
		t.Error("a value that is not a boolean gave no error")
	}
}

func TestRefsContaining(t *testing.T) {
	r := newTestRepo(t)
	c1 := r.commit("one", day(1), "")
	r.git("checkout", "-q", "-b", "feature")
	c2 := r.commit("two", day(2), "")
	r.git("tag", "v1", c1)
	repo := r.open()
	got, err := repo.RefsContaining(bg(), []string{c2})
	if err != nil || strings.Join(got, " ") != "refs/heads/feature" {
		t.Fatalf("containing %s: %v, %v", c2, got, err)
	}
	gone := strings.Repeat("1", 40)
	got, err = repo.RefsContaining(bg(), []string{c1, gone})
	if err != nil || strings.Join(got, " ") != "refs/heads/feature refs/heads/main refs/tags/v1" {
		t.Fatalf("containing %s: %v, %v", c1, got, err)
	}
	if _, err := repo.RefsContaining(bg(), []string{"HEAD"}); err == nil {
		t.Fatal("a name that is not an object id was accepted")
	}
	gg, _ := openGoGit(r.dir)
	if _, err := (&Repo{b: gg, opts: quiet()}).RefsContaining(bg(), []string{c1}); !errors.Is(err, ErrNeedsGit) {
		t.Fatalf("go-git: %v", err)
	}
}
