package source

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// gitStaged is what git itself lists as staged: the fallback's answer.
func gitStaged(t *testing.T, r *testRepo) []string {
	t.Helper()
	b := r.open().b.(cliBackend)
	var out []string
	err := b.g.stream(context.Background(), nil, func(rd *bufio.Reader) error {
		return parseLog(rd, nil, func(c change) error { out = append(out, stagedLine(c)); return nil })
	}, "diff", "--cached", "--raw", "-z", "--no-abbrev", "--no-renames")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// inProcessStaged is what the in-process listing says; it must answer.
func inProcessStaged(t *testing.T, r *testRepo) []string {
	t.Helper()
	var out []string
	handled, err := r.open().b.(cliBackend).stagedInProcess(context.Background(), func(c change) error {
		out = append(out, stagedLine(c))
		return nil
	})
	if err != nil || !handled {
		t.Fatalf("in-process listing: handled %v, %v", handled, err)
	}
	return out
}

func stagedLine(c change) string { return fmt.Sprintf("%q %s %v", c.path, c.blob, c.prior) }

// stageEveryKindOfChange commits a tree with every kind of entry and
// stages every kind of change against it.
func stageEveryKindOfChange(t *testing.T, r *testRepo) {
	t.Helper()
	for _, p := range []string{"a.txt", "dir/sub/deep.txt", "dir/file.txt", "gone.txt", "mode.sh",
		"typechange", "d2/x.txt", "dir.txt", "dir-a/x", "z.txt", "with space/ü.txt"} {
		r.write(p, p+"\n")
	}
	if err := os.Symlink("a.txt", filepath.Join(r.dir, "link")); err != nil {
		t.Fatal(err)
	}
	c0 := r.commit("zero", day(1), "")
	r.git("update-index", "--add", "--cacheinfo", "160000,"+c0+",sub")
	r.commitIndex("one", day(2))
	r.write("dir/sub/deep.txt", "changed\n")
	r.write("new/n.txt", "new\n")
	r.write("dir/sub2/q.txt", "q\n")
	r.write("dir-a/x", "changed too\n")
	r.git("rm", "-q", "gone.txt", "d2/x.txt")
	r.write("d2", "a file where a directory was\n")
	r.git("rm", "-q", "--cached", "sub")
	r.write("sub", "a file where a submodule was\n")
	if err := os.Chmod(filepath.Join(r.dir, "mode.sh"), 0o755); err != nil { // content unchanged
		t.Fatal(err)
	}
	os.Remove(filepath.Join(r.dir, "typechange"))
	if err := os.Symlink("z.txt", filepath.Join(r.dir, "typechange")); err != nil {
		t.Fatal(err)
	}
	r.write("ita.txt", "intent to add\n")
	r.git("add", "-A")
	r.write("ita-only.txt", "git add -N: a placeholder, no content staged\n")
	r.git("add", "-N", "ita-only.txt")
	r.git("update-index", "--skip-worktree", "z.txt") // extended flags: index version 3
}

func TestStagedInProcessAgreesWithGit(t *testing.T) {
	r := newTestRepo(t)
	stageEveryKindOfChange(t, r)
	want := gitStaged(t, r)
	if len(want) < 8 {
		t.Fatalf("git lists only %v", want)
	}
	for _, step := range []string{"as staged", "index v4", "index v2", "valid cache tree", "packed"} {
		switch step {
		case "index v4", "index v2":
			if step == "index v2" {
				r.git("update-index", "--no-skip-worktree", "z.txt")
				want = gitStaged(t, r)
			}
			r.git("update-index", "--index-version", step[len(step)-1:])
		case "valid cache tree":
			r.git("write-tree") // the cache tree now vouches for every directory
		case "packed":
			r.git("repack", "-adq")
		}
		if got := inProcessStaged(t, r); !slices.Equal(got, want) {
			t.Errorf("%s: in-process\n%s\ngit\n%s", step, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// A directory the cache tree vouches for is not read: its tree object can
// be missing from the object directory without the listing noticing.
func TestStagedInProcessSkipsDirectoriesTheCacheTreeVouchesFor(t *testing.T) {
	r := newTestRepo(t)
	r.write("keep/a.txt", "a\n")
	r.write("edit/b.txt", "b\n")
	r.commit("one", day(1), "")
	keep := r.rev("HEAD:keep")
	r.write("edit/b.txt", "b2\n")
	r.git("add", "-A")
	r.git("write-tree")
	if err := os.Remove(r.objectFile(keep)); err != nil {
		t.Fatal(err)
	}
	got := inProcessStaged(t, r)
	want := fmt.Sprintf("%q %s [%s]", "edit/b.txt", r.rev(":edit/b.txt"), r.rev("HEAD:edit/b.txt"))
	if len(got) != 1 || got[0] != want {
		t.Fatalf("got %v, want [%s]", got, want)
	}
}

func TestStagedInProcessLeavesToGitWhatItDoesNotRead(t *testing.T) {
	cases := map[string]func(r *testRepo){
		"split index": func(r *testRepo) { r.git("update-index", "--split-index") },
		"unborn branch": func(r *testRepo) {
			r.git("checkout", "-q", "--orphan", "fresh")
		},
		"reftable-like HEAD": func(r *testRepo) {
			os.WriteFile(filepath.Join(r.dir, ".git", "HEAD"), []byte("ref: refs/heads/.invalid\n"), 0o644)
		},
	}
	for name, prepare := range cases {
		t.Run(name, func(t *testing.T) {
			r := newTestRepo(t)
			r.write("a.txt", "a\n")
			r.commit("one", day(1), "")
			r.write("a.txt", "b\n")
			r.git("add", "a.txt")
			prepare(r)
			handled, _ := r.open().b.(cliBackend).stagedInProcess(context.Background(), func(change) error {
				t.Fatal("listed something it then left to git")
				return nil
			})
			if handled {
				t.Fatal("handled an index it does not read")
			}
		})
	}
}

// A pre-commit hook runs with GIT_INDEX_FILE set, relative to the work
// tree (`git commit -a` names a temporary index): the listing reads that
// index, as git does.
func TestStagedInProcessReadsTheIndexGitCommitNames(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "a\n")
	r.write("b.txt", "b\n")
	r.commit("one", day(1), "")
	r.write("a.txt", "staged in the usual index\n")
	r.git("add", "a.txt")
	r.write("b.txt", "staged only in the commit's index\n")
	r.gitEnv([]string{"GIT_INDEX_FILE=.git/next-index.lock"}, "read-tree", "HEAD")
	r.gitEnv([]string{"GIT_INDEX_FILE=.git/next-index.lock"}, "add", "b.txt")
	usual := inProcessStaged(t, r)
	t.Setenv("GIT_INDEX_FILE", ".git/next-index.lock")
	got, want := inProcessStaged(t, r), gitStaged(t, r)
	if !slices.Equal(got, want) || len(got) != 1 || !strings.Contains(got[0], "b.txt") {
		t.Fatalf("in-process %v, git %v; want b.txt alone", got, want)
	}
	if len(usual) != 1 || !strings.Contains(usual[0], "a.txt") {
		t.Fatalf("without GIT_INDEX_FILE: %v, want a.txt alone", usual)
	}
}

// A tree that only an alternate holds stops the in-process listing midway:
// git lists the rest, and nothing comes twice.
func TestStagedListingFinishedByGitListsEachChangeOnce(t *testing.T) {
	shared := newTestRepo(t)
	shared.write("zz/x.txt", "x\n")
	shared.write("ab.txt", "ab\n")
	shared.commit("one", day(1), "")
	r := &testRepo{t: t, dir: t.TempDir()}
	cmd := exec.Command("git", "clone", "-q", "--shared", shared.dir, r.dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	r.write("aa.txt", "new in the clone\n")
	r.commit("two", day(2), "") // a root tree of its own; zz/ stays in the alternate
	r.write("ab.txt", "ab changed\n")
	r.write("zz/x.txt", "x changed\n")
	r.git("add", "-A")
	var firstPass []string
	handled, err := r.open().b.(cliBackend).stagedInProcess(context.Background(), func(c change) error {
		firstPass = append(firstPass, c.path)
		return nil
	})
	if handled || err != nil || !slices.Equal(firstPass, []string{"ab.txt"}) {
		t.Fatalf("in-process pass: handled %v, %v, listed %v; want ab.txt, then git", handled, err, firstPass)
	}
	var got []string
	if err := r.open().b.staged(context.Background(), func(c change) error {
		got = append(got, stagedLine(c))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := gitStaged(t, r); !slices.Equal(got, want) {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
