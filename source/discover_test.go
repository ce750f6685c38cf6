package source

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// revParseOpen is what OpenRepo learns from git for path.
func revParseOpen(t *testing.T, path string) (gitDir, objects, top string) {
	t.Helper()
	g := &gitCmd{bin: gitBinary(), dir: path}
	out, err := g.output(context.Background(), "rev-parse", "--absolute-git-dir", "--show-object-format", "--git-path", "objects", "--show-cdup")
	if err != nil {
		t.Fatal(err)
	}
	return parseOpen(path, out)
}

func sameFile(t *testing.T, a, b string) bool {
	t.Helper()
	ra, err1 := filepath.EvalSymlinks(a)
	rb, err2 := filepath.EvalSymlinks(b)
	return err1 == nil && err2 == nil && ra == rb
}

func TestDiscoverAgreesWithRevParse(t *testing.T) {
	r := newTestRepo(t)
	r.write("dir/sub/a.txt", "a\n")
	r.commit("one", day(1), "")
	wt := filepath.Join(t.TempDir(), "linked")
	r.git("worktree", "add", "-q", wt)
	for _, path := range []string{r.dir, filepath.Join(r.dir, "dir", "sub"), wt, filepath.Join(wt, "dir")} {
		gitDir, objects, top, ok := discover(path)
		if !ok {
			t.Errorf("%s: not discovered", path)
			continue
		}
		wg, wo, wtop := revParseOpen(t, path)
		if !sameFile(t, gitDir, wg) || !sameFile(t, objects, wo) || !sameFile(t, top, wtop) {
			t.Errorf("%s: discovered %s %s %s; git says %s %s %s", path, gitDir, objects, top, wg, wo, wtop)
		}
	}
}

func TestDiscoverLeavesToGitWhatGitMustJudge(t *testing.T) {
	cases := map[string]func(t *testing.T, r *testRepo) string{
		"bare repository": func(t *testing.T, r *testRepo) string {
			bare := filepath.Join(t.TempDir(), "bare.git")
			r.git("clone", "-q", "--bare", r.dir, bare)
			return bare
		},
		"inside .git": func(t *testing.T, r *testRepo) string { return filepath.Join(r.dir, ".git", "refs") },
		"core.worktree": func(t *testing.T, r *testRepo) string {
			r.git("config", "core.worktree", r.dir)
			return r.dir
		},
		"an include": func(t *testing.T, r *testRepo) string {
			r.git("config", "include.path", "/dev/null")
			return r.dir
		},
		"another object format": func(t *testing.T, r *testRepo) string {
			d := filepath.Join(t.TempDir(), "sha256")
			r.git("init", "-q", "--object-format=sha256", d)
			return d
		},
		"GIT_DIR": func(t *testing.T, r *testRepo) string {
			t.Setenv("GIT_DIR", filepath.Join(r.dir, ".git"))
			return r.dir
		},
		"GIT_CEILING_DIRECTORIES": func(t *testing.T, r *testRepo) string {
			t.Setenv("GIT_CEILING_DIRECTORIES", r.dir)
			return filepath.Join(r.dir, "dir")
		},
		"no repository": func(t *testing.T, r *testRepo) string { return t.TempDir() },
		"a .git file naming nothing": func(t *testing.T, r *testRepo) string {
			d := t.TempDir()
			os.WriteFile(filepath.Join(d, ".git"), []byte("gitdir: /no/such/dir\n"), 0o644)
			return d
		},
	}
	for name, prepare := range cases {
		t.Run(name, func(t *testing.T) {
			r := newTestRepo(t)
			r.write("dir/a.txt", "a\n")
			r.commit("one", day(1), "")
			path := prepare(t, r)
			if gitDir, _, _, ok := discover(path); ok {
				t.Fatalf("discovered %s where git must judge", gitDir)
			}
		})
	}
}

// A submodule's .git file names a directory whose configuration names the
// work tree: git answers, and the scan still opens it.
func TestOpenRepoInASubmoduleAsksGit(t *testing.T) {
	inner := newTestRepo(t)
	inner.write("x.txt", "x\n")
	inner.commit("inner", day(1), "")
	r := newTestRepo(t)
	r.write("a.txt", "a\n")
	r.commit("outer", day(2), "")
	r.gitEnv([]string{"GIT_ALLOW_PROTOCOL=file"}, "-c", "protocol.file.allow=always", "submodule", "-q", "add", inner.dir, "mod")
	sub := filepath.Join(r.dir, "mod")
	if _, _, _, ok := discover(sub); ok {
		t.Fatal("discovered a submodule without git")
	}
	repo, err := OpenRepo(context.Background(), sub, quiet())
	if err != nil {
		t.Fatal(err)
	}
	if got := repo.Root(context.Background()); !sameFile(t, got, sub) {
		t.Fatalf("root %s, want %s", got, sub)
	}
	cmd := exec.Command("git", "-C", sub, "rev-parse", "--show-toplevel")
	if out, err := cmd.Output(); err != nil || !sameFile(t, string(out[:len(out)-1]), sub) {
		t.Fatalf("git: %s, %v", out, err)
	}
}
