package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-billy/v5/memfs"
	"github.com/go-git/go-billy/v5/util"
	"github.com/go-git/go-git/v5"
	gitobject "github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"
	"github.com/rs/zerolog"
)

// ggWalked is a walk's changes and commits as sorted, comparable lines.
type ggWalked struct {
	changes []string // commit|path|blob|prior,prior
	commits []string // id|parents|author|email|date
}

// has reports whether the walk holds the change commit|path|blob|priors.
func (w ggWalked) has(commit, path, blob string, prior ...string) bool {
	slices.Sort(prior)
	return slices.Contains(w.changes, strings.Join([]string{commit, path, blob, strings.Join(prior, ",")}, "|"))
}

// at returns the changes of one commit as path|blob|priors.
func (w ggWalked) at(commit string) []string {
	var out []string
	for _, c := range w.changes {
		if rest, ok := strings.CutPrefix(c, commit+"|"); ok {
			out = append(out, rest)
		}
	}
	return out
}

func ggChangeLine(c change) string {
	prior := slices.Clone(c.prior)
	slices.Sort(prior)
	id := "-"
	if c.commit != nil {
		id = c.commit.id
	}
	return strings.Join([]string{id, c.path, c.blob, strings.Join(prior, ",")}, "|")
}

func ggWalk(t *testing.T, b backend, spec string, targets []string) ggWalked {
	t.Helper()
	var w ggWalked
	err := b.walk(context.Background(), spec, targets, func(c *commitInfo) {
		w.commits = append(w.commits, fmt.Sprintf("%s|%d|%s|%s|%s", c.id, c.parents, c.author, c.email, c.date.Format(time.RFC3339)))
	}, func(c change) error {
		w.changes = append(w.changes, ggChangeLine(c))
		return nil
	})
	if err != nil {
		t.Fatalf("%T walk %q: %v", b, spec, err)
	}
	slices.Sort(w.changes)
	slices.Sort(w.commits)
	if len(slices.Compact(slices.Clone(w.commits))) != len(w.commits) {
		t.Errorf("%T walk %q reports a commit twice: %v", b, spec, w.commits)
	}
	return w
}

func ggStaged(t *testing.T, b backend) []string {
	t.Helper()
	var out []string
	err := b.staged(context.Background(), func(c change) error {
		out = append(out, ggChangeLine(c))
		return nil
	})
	if err != nil {
		t.Fatalf("%T staged: %v", b, err)
	}
	slices.Sort(out)
	return out
}

// ggBlobs reads every blob, failing on one read twice or a broken one.
func ggBlobs(t *testing.T, b backend) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := b.allBlobs(context.Background(), func(o object, r io.Reader) error {
		data, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		if _, dup := out[o.id]; dup {
			t.Errorf("%T: blob %s read twice", b, o.id)
		}
		out[o.id] = fmt.Sprintf("%s %d %q", o.typ, o.size, data)
		return nil
	}, func(id string, err error) { t.Errorf("%T: broken object %s: %v", b, id, err) })
	if err != nil {
		t.Fatalf("%T allBlobs: %v", b, err)
	}
	return out
}

func ggRead(t *testing.T, b backend, ids []string) []string {
	t.Helper()
	var out []string
	err := b.readBlobs(context.Background(), ids, func(o object, r io.Reader) error {
		data, err := io.ReadAll(r)
		out = append(out, fmt.Sprintf("%s %s %d %q", o.id, o.typ, o.size, data))
		return err
	}, func(id string, err error) { t.Errorf("%T: broken object %s: %v", b, id, err) })
	if err != nil {
		t.Fatalf("%T readBlobs: %v", b, err)
	}
	return out
}

func ggCount(t *testing.T, b backend, spec string) int64 {
	t.Helper()
	n, err := b.countCommits(context.Background(), spec)
	if err != nil {
		t.Fatalf("%T countCommits %q: %v", b, spec, err)
	}
	return n
}

func ggSame[T any](t *testing.T, what string, cli, gg T) {
	t.Helper()
	if c, g := fmt.Sprintf("%v", cli), fmt.Sprintf("%v", gg); c != g {
		t.Errorf("%s differs\n git:    %s\n go-git: %s", what, c, g)
	}
}

// ggCompared is what ggCompare saw through go-git, for assertions of a
// test's own.
type ggCompared struct {
	walk   ggWalked
	staged []string
	blobs  map[string]string
	count  int64
}

// ggCompare runs every operation through the git binary and go-git and
// reports any difference. ranges are ggWalked and counted too; good revisions
// must verify and made-up ones must not.
func ggCompare(t *testing.T, r *testRepo, ranges []string, good ...string) ggCompared {
	t.Helper()
	cli := cliBackend{g: &gitCmd{bin: gitBinary(), dir: r.dir}}
	gg, err := openGoGit(r.dir)
	if err != nil {
		t.Fatalf("openGoGit: %v", err)
	}
	var out ggCompared
	out.walk = ggWalk(t, gg, "", nil)
	cw := ggWalk(t, cli, "", nil)
	ggSame(t, "walk changes", cw.changes, out.walk.changes)
	ggSame(t, "walk commits", cw.commits, out.walk.commits)
	out.count = ggCount(t, gg, "")
	ggSame(t, "commit count", ggCount(t, cli, ""), out.count)
	for _, spec := range ranges {
		c, g := ggWalk(t, cli, spec, nil), ggWalk(t, gg, spec, nil)
		ggSame(t, "walk "+spec+" changes", c.changes, g.changes)
		ggSame(t, "walk "+spec+" commits", c.commits, g.commits)
		ggSame(t, "count "+spec, ggCount(t, cli, spec), ggCount(t, gg, spec))
	}
	out.blobs = ggBlobs(t, gg)
	ggSame(t, "blobs", ggBlobs(t, cli), out.blobs)
	var ids []string
	for id := range out.blobs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if len(ids) > 0 { // a walk for some blobs reports what a full one reports of them
		targets := ids[:1+len(ids)/2]
		var want []string
		for _, c := range cw.changes {
			if slices.Contains(targets, strings.Split(c, "|")[2]) {
				want = append(want, c)
			}
		}
		ggSame(t, "walk for targets", want, ggWalk(t, gg, "", targets).changes)
	}
	if out.count > 0 { // objects that are not blobs, read by id
		ids = append(ids, r.git("rev-parse", "HEAD^{tree}"), r.git("rev-parse", "HEAD"))
	}
	ids = append(ids, strings.Repeat("0", 40), "not-an-id")
	ggSame(t, "readBlobs", ggRead(t, cli, ids), ggRead(t, gg, ids))
	if _, err := os.Stat(filepath.Join(r.dir, ".git")); err == nil { // not bare
		out.staged = ggStaged(t, gg)
		ggSame(t, "staged", ggStaged(t, cli), out.staged)
	}
	for _, rev := range good {
		if err := cli.verify(context.Background(), rev); err != nil {
			t.Errorf("git: verify %s: %v", rev, err)
		}
		if err := gg.verify(context.Background(), rev); err != nil {
			t.Errorf("go-git: verify %s: %v", rev, err)
		}
	}
	for _, rev := range []string{"no-such-branch", "HEAD~50", strings.Repeat("1", 40)} {
		if cli.verify(context.Background(), rev) == nil || gg.verify(context.Background(), rev) == nil {
			t.Errorf("verify %s: want an error from both backends", rev)
		}
	}
	ggSame(t, "shallow", cli.shallow(context.Background()), gg.shallow(context.Background()))
	return out
}

// ggMerge runs git merge with the given author and committer date.
func ggMerge(r *testRepo, date string, args ...string) {
	r.t.Helper()
	r.gitEnv([]string{"GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date}, append([]string{"merge", "-q"}, args...)...)
}

const ggAda = "Ada Dev <ada@example.com>"

func TestGoGitLinearHistory(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "one\n")
	r.write("dir/sub/b.txt", "bee\n")
	c1 := r.commit("one", "2024-01-01T10:00:00Z", ggAda)
	r.write("c.txt", "sea\n")
	c2 := r.commit("two", "2024-01-02T10:00:00+05:30", "Bo Ops <bo@example.com>")
	r.write("dir/sub/b.txt", "bee 2\n")
	r.write("dir with space/ü.txt", "unicode\n")
	c3 := r.commit("three", "2024-01-03T10:00:00-07:00", ggAda)
	got := ggCompare(t, r, []string{c1 + "..HEAD", c2 + "..main", "main~2..main~1"}, "HEAD", c1, "main~1")
	if len(got.walk.commits) != 3 || got.count != 3 {
		t.Fatalf("want 3 commits, got %v", got.walk.commits)
	}
	if !got.walk.has(c1, "dir/sub/b.txt", r.git("rev-parse", c1+":dir/sub/b.txt")) || len(got.walk.at(c1)) != 2 {
		t.Errorf("root commit: %v", got.walk.at(c1))
	}
	if w := got.walk.at(c2); len(w) != 1 || !got.walk.has(c2, "c.txt", r.git("rev-parse", c2+":c.txt")) {
		t.Errorf("second commit: %v", w)
	}
	if !got.walk.has(c3, "dir/sub/b.txt", r.git("rev-parse", c3+":dir/sub/b.txt"), r.git("rev-parse", c1+":dir/sub/b.txt")) ||
		!got.walk.has(c3, "dir with space/ü.txt", r.git("rev-parse", c3+":dir with space/ü.txt")) {
		t.Errorf("third commit: %v", got.walk.at(c3))
	}
}

func TestGoGitFileModifiedSeveralTimesRenamedAndDeleted(t *testing.T) {
	r := newTestRepo(t)
	var ids, blobs []string
	for i := range 4 {
		r.write("app.env", fmt.Sprintf("TOKEN=v%d\n", i))
		r.write("keep.txt", "keep\n")
		ids = append(ids, r.commit(fmt.Sprint("edit ", i), fmt.Sprintf("2024-02-0%dT10:00:00Z", i+1), ggAda))
		blobs = append(blobs, r.git("rev-parse", "HEAD:app.env"))
	}
	if err := os.Mkdir(filepath.Join(r.dir, "config"), 0o755); err != nil {
		t.Fatal(err)
	}
	r.git("mv", "app.env", "config/app.env")
	renamed := r.commit("rename", "2024-02-10T10:00:00Z", ggAda)
	r.git("rm", "-q", "keep.txt")
	deleted := r.commit("delete", "2024-02-11T10:00:00Z", ggAda)
	got := ggCompare(t, r, []string{ids[1] + "..HEAD", ids[0] + "..." + deleted}, ids[2])
	for i := 1; i < 4; i++ {
		if w := got.walk.at(ids[i]); len(w) != 1 || !got.walk.has(ids[i], "app.env", blobs[i], blobs[i-1]) {
			t.Errorf("edit %d: %v", i, w)
		}
	}
	if w := got.walk.at(renamed); len(w) != 1 || !got.walk.has(renamed, "config/app.env", blobs[3]) {
		t.Errorf("a rename is a new path without prior: %v", w)
	}
	if w := got.walk.at(deleted); len(w) != 0 {
		t.Errorf("a deletion reports nothing: %v", w)
	}
}

func TestGoGitSideBranchAndMerges(t *testing.T) {
	r := newTestRepo(t)
	r.write("shared.txt", "base\n")
	r.write("main.txt", "m0\n")
	base := r.commit("base", "2024-03-01T10:00:00Z", ggAda)
	r.git("checkout", "-q", "-b", "side")
	r.write("side.txt", "s1\n")
	r.write("shared.txt", "side version\n")
	side := r.commit("side", "2024-03-02T10:00:00Z", ggAda)
	r.git("checkout", "-q", "main")
	r.write("main.txt", "m1\n")
	r.write("shared.txt", "main version\n")
	main1 := r.commit("main", "2024-03-03T10:00:00Z", ggAda)
	ggMerge(r, "2024-03-04T10:00:00Z", "--no-commit", "-X", "ours", "side")
	r.write("shared.txt", "resolved by hand\n")
	merge := r.commit("merge", "2024-03-04T10:00:00Z", ggAda)
	for i, b := range []string{"b1", "b2"} { // an octopus merge of two clean branches
		r.git("checkout", "-q", "-b", b, base)
		r.write(b+".txt", b)
		r.commit(b, fmt.Sprintf("2024-03-0%dT10:00:00Z", 5+i), ggAda)
	}
	r.git("checkout", "-q", "main")
	ggMerge(r, "2024-03-08T10:00:00Z", "--no-ff", "-m", "octopus", "b1", "b2")
	octopus := r.git("rev-parse", "HEAD")
	got := ggCompare(t, r, []string{base + "..side", main1 + "..." + side, "side..main", base + "..b2"}, "side", "b1")
	want := r.git("rev-parse", merge+":shared.txt")
	if w := got.walk.at(merge); len(w) != 1 || !got.walk.has(merge, "shared.txt", want, r.git("rev-parse", main1+":shared.txt"), r.git("rev-parse", side+":shared.txt")) {
		t.Errorf("a merge reports what differs from every parent, with their blobs: %v", w)
	}
	if w := got.walk.at(octopus); len(w) != 0 {
		t.Errorf("a clean merge reports nothing: %v", w)
	}
	if got.count != 7 {
		t.Errorf("count %d, want 7", got.count)
	}
}

func TestGoGitEvilMerge(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "a\n")
	r.commit("base", "2024-04-01T10:00:00Z", ggAda)
	r.git("checkout", "-q", "-b", "side")
	r.write("b.txt", "b\n")
	r.commit("side", "2024-04-02T10:00:00Z", ggAda)
	r.git("checkout", "-q", "main")
	r.write("c.txt", "c\n")
	r.commit("main", "2024-04-03T10:00:00Z", ggAda)
	ggMerge(r, "2024-04-04T10:00:00Z", "--no-ff", "--no-commit", "side")
	r.write("evil.txt", "SECRET=added in the merge\n")
	r.write("a.txt", "a changed in the merge\n")
	merge := r.commit("evil merge", "2024-04-04T10:00:00Z", ggAda)
	got := ggCompare(t, r, []string{"main~1..main", "side..main"}, "main^2")
	prior := r.git("rev-parse", merge+"^1:a.txt")
	if w := got.walk.at(merge); len(w) != 2 || !got.walk.has(merge, "evil.txt", r.git("rev-parse", merge+":evil.txt")) ||
		!got.walk.has(merge, "a.txt", r.git("rev-parse", merge+":a.txt"), prior, prior) {
		t.Errorf("evil merge: %v", w)
	}
}

func TestGoGitRefsNoBranchReaches(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "a\n")
	r.commit("base", "2024-05-01T10:00:00Z", ggAda)
	r.git("checkout", "-q", "--detach")
	r.write("lost.txt", "only a tag reaches me\n")
	lost := r.commit("lost", "2024-05-02T10:00:00Z", ggAda)
	r.git("tag", "-a", "-m", "annotated", "v-lost")
	r.git("checkout", "-q", "--detach", "main")
	r.write("remote.txt", "remote\n")
	remote := r.commit("remote", "2024-05-03T10:00:00Z", ggAda)
	r.git("update-ref", "refs/remotes/origin/feature", remote)
	r.git("checkout", "-q", "--detach", "main")
	r.write("other.txt", "other\n")
	other := r.commit("other", "2024-05-04T10:00:00Z", ggAda)
	r.git("update-ref", "refs/custom/other", other)
	r.git("checkout", "-q", "--detach", "main")
	r.write("head.txt", "only a detached HEAD reaches me\n")
	head := r.commit("head", "2024-05-05T10:00:00Z", ggAda)
	r.write("loose.tmp", "reachable from nothing\n")
	dangling := r.git("hash-object", "-w", "loose.tmp")
	if err := os.Remove(filepath.Join(r.dir, "loose.tmp")); err != nil {
		t.Fatal(err)
	}
	r.git("tag", "blob-tag", r.git("rev-parse", "main:a.txt")) // a ref to a blob
	got := ggCompare(t, r, []string{"main..v-lost", "main...origin/feature", "v-lost...HEAD"}, "v-lost", "origin/feature", lost[:12])
	for _, c := range []string{lost, remote, other, head} {
		if len(got.walk.at(c)) != 1 {
			t.Errorf("commit %s reached by a ref only: %v", c, got.walk.at(c))
		}
	}
	if _, ok := got.blobs[dangling]; !ok {
		t.Errorf("the dangling blob %s is not read", dangling)
	}
}

func TestGoGitSymlinkModeAndTypeChanges(t *testing.T) {
	r := newTestRepo(t)
	r.write("target.txt", "target\n")
	r.write("script.sh", "echo hi\n")
	r.write("a", "file then directory\n")
	r.commit("base", "2024-06-01T10:00:00Z", ggAda)
	if err := os.Symlink("target.txt", filepath.Join(r.dir, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(r.dir, "script.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	r.git("rm", "-q", "a")
	r.write("a/inside.txt", "now a directory\n")
	c := r.commit("symlink and mode", "2024-06-02T10:00:00Z", ggAda)
	got := ggCompare(t, r, nil, "HEAD")
	// the mode change of script.sh adds no content: neither backend reports it
	if w := got.walk.at(c); len(w) != 2 || !got.walk.has(c, "link", r.git("rev-parse", c+":link")) {
		t.Errorf("symlink, mode change and file to directory: %v", w)
	}
}

func TestGoGitSubmoduleGitlink(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "a\n")
	first := r.commit("base", "2024-07-01T10:00:00Z", ggAda)
	r.git("update-index", "--add", "--cacheinfo", "160000,"+first+",sub")
	r.write("b.txt", "b\n")
	r.git("add", "b.txt")
	r.gitEnv([]string{"GIT_AUTHOR_DATE=2024-07-02T10:00:00Z", "GIT_COMMITTER_DATE=2024-07-02T10:00:00Z"}, "commit", "-q", "-m", "gitlink")
	c := r.git("rev-parse", "HEAD")
	r.git("update-index", "--cacheinfo", "160000,"+c+",sub") // a staged gitlink change
	got := ggCompare(t, r, []string{first + "..HEAD"}, "HEAD")
	if w := got.walk.at(c); len(w) != 1 || !got.walk.has(c, "b.txt", r.git("rev-parse", c+":b.txt")) {
		t.Errorf("gitlinks are not reported: %v", w)
	}
	if len(got.staged) != 0 {
		t.Errorf("a staged gitlink is not reported: %v", got.staged)
	}
}

func TestGoGitEmptyRepository(t *testing.T) {
	r := newTestRepo(t)
	got := ggCompare(t, r, nil)
	if len(got.walk.commits) != 0 || got.count != 0 || len(got.blobs) != 0 || len(got.staged) != 0 {
		t.Errorf("empty repository: %+v", got)
	}
}

func TestGoGitStagedWithoutCommits(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "staged before any commit\n")
	r.write("d/b.txt", "b\n")
	r.git("add", "a.txt", "d/b.txt")
	got := ggCompare(t, r, nil)
	want := []string{"-|a.txt|" + r.git("rev-parse", ":a.txt") + "|", "-|d/b.txt|" + r.git("rev-parse", ":d/b.txt") + "|"}
	if !slices.Equal(got.staged, want) {
		t.Errorf("staged %v, want %v", got.staged, want)
	}
}

func TestGoGitStagedWithCommits(t *testing.T) {
	r := newTestRepo(t)
	r.write("keep.txt", "keep\n")
	r.write("mod.txt", "old\n")
	r.write("gone.txt", "gone\n")
	r.write("x.sh", "x\n")
	c := r.commit("base", "2024-08-01T10:00:00Z", ggAda)
	r.write("mod.txt", "new\n")
	r.write("new/file.txt", "added\n")
	r.write("unstaged.txt", "not added\n")
	r.write("later.txt", "intent to add\n")
	r.git("add", "mod.txt", "new/file.txt")
	r.git("add", "-N", "later.txt")
	r.git("rm", "-q", "--cached", "gone.txt")
	r.git("update-index", "--chmod=+x", "x.sh")
	got := ggCompare(t, r, nil, c)
	// x.sh's mode change adds no content: it is left out
	want := []string{"-|mod.txt|" + r.git("rev-parse", ":mod.txt") + "|" + r.git("rev-parse", c+":mod.txt"),
		"-|new/file.txt|" + r.git("rev-parse", ":new/file.txt") + "|"}
	if !slices.Equal(got.staged, want) {
		t.Errorf("staged %v, want %v", got.staged, want)
	}
}

func TestGoGitPackedAndShallowRepositories(t *testing.T) {
	r := newTestRepo(t)
	for i := range 5 {
		r.write("f.txt", strings.Repeat(fmt.Sprintf("line %d\n", i), 2000)) // deltas in the pack
		r.write(fmt.Sprintf("n%d.txt", i), "n\n")
		r.commit(fmt.Sprint("c", i), fmt.Sprintf("2024-09-0%dT10:00:00Z", i+1), ggAda)
		switch i {
		case 2:
			r.git("gc", "-q")
		case 3:
			r.git("repack", "-q", "-a") // a second pack, holding the first's objects again
		}
	}
	got := ggCompare(t, r, []string{"HEAD~3..HEAD"}, "HEAD~4")
	if len(got.blobs) != 6 { // five versions of f.txt, one content for every n*.txt
		t.Errorf("want 6 distinct blobs, got %d", len(got.blobs))
	}
	shallow := &testRepo{t: t, dir: filepath.Join(t.TempDir(), "shallow")}
	r.git("clone", "-q", "--depth", "2", "file://"+r.dir, shallow.dir)
	got = ggCompare(t, shallow, nil, "HEAD~1")
	if got.count != 2 || len(got.walk.at(shallow.git("rev-parse", "HEAD~1"))) != 5 {
		t.Errorf("a shallow boundary is a root: %+v", got.walk)
	}
	bare := &testRepo{t: t, dir: filepath.Join(t.TempDir(), "bare.git")}
	r.git("clone", "-q", "--bare", r.dir, bare.dir)
	if got := ggCompare(t, bare, []string{"HEAD~2..HEAD"}, "HEAD"); got.count != 5 {
		t.Errorf("bare clone: %d commits", got.count)
	}
}

func TestOpenGoGit(t *testing.T) {
	r := newTestRepo(t)
	r.write("d/e/f.txt", "f\n")
	r.commit("one", "2024-10-01T10:00:00Z", ggAda)
	bare := filepath.Join(t.TempDir(), "bare.git")
	r.git("clone", "-q", "--bare", r.dir, bare)
	for _, dir := range []string{r.dir, filepath.Join(r.dir, "d", "e"), filepath.Join(r.dir, ".git"), bare} {
		b, err := openGoGit(dir)
		if err != nil {
			t.Errorf("open %s: %v", dir, err)
			continue
		}
		if n, err := b.countCommits(context.Background(), ""); n != 1 || err != nil {
			t.Errorf("open %s: %d commits, %v", dir, n, err)
		}
	}
	if _, err := openGoGit(t.TempDir()); !errors.Is(err, ErrNotRepository) {
		t.Errorf("a directory outside any repository: %v", err)
	}
	gg, _ := openGoGit(bare)
	if err := gg.staged(context.Background(), func(change) error { return nil }); err == nil {
		t.Error("staged in a bare repository: want an error")
	}
}

func TestGoGitStepsOverBrokenObjects(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "alpha\n")
	r.write("b.txt", "bravo\n")
	r.write("c.txt", "charlie\n")
	r.commit("one", "2024-11-01T10:00:00Z", ggAda)
	broken := r.git("rev-parse", "HEAD:b.txt")
	loose := filepath.Join(r.dir, ".git", "objects", broken[:2], broken[2:])
	if err := os.Chmod(loose, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(loose, []byte("not zlib at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	gg, err := openGoGit(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	var read, bad []string
	collectTo := func(o object, body io.Reader) error {
		data, err := io.ReadAll(body)
		read = append(read, string(data))
		return err
	}
	onBroken := func(id string, err error) { bad = append(bad, id) }
	if err := gg.allBlobs(context.Background(), collectTo, onBroken); err != nil {
		t.Fatal(err)
	}
	slices.Sort(read)
	if !slices.Equal(read, []string{"alpha\n", "charlie\n"}) || !slices.Contains(bad, broken) {
		t.Errorf("allBlobs read %q, broken %v", read, bad)
	}
	read, bad = nil, nil
	ids := []string{broken, r.git("rev-parse", "HEAD:c.txt")}
	if err := gg.readBlobs(context.Background(), ids, collectTo, onBroken); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(read, []string{"charlie\n"}) || !slices.Equal(bad, []string{broken}) {
		t.Errorf("readBlobs read %q, broken %v", read, bad)
	}
}

func TestNewGoGitRepoScansMemoryStorage(t *testing.T) {
	fs := memfs.New()
	repo, err := git.Init(memory.NewStorage(), fs)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	commit := func(path, content, email string, when time.Time) string {
		t.Helper()
		if err := util.WriteFile(fs, path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := wt.Add(path); err != nil {
			t.Fatal(err)
		}
		sig := &gitobject.Signature{Name: "Mem Dev", Email: email, When: when}
		h, err := wt.Commit("commit "+path, &git.CommitOptions{Author: sig, Committer: sig})
		if err != nil {
			t.Fatal(err)
		}
		return h.String()
	}
	zone := time.FixedZone("", 2*3600)
	commit("README", "hello\n", "a@example.com", time.Date(2024, 1, 1, 9, 0, 0, 0, zone))
	secret := "AWS_SECRET=in-memory-only-0123456789\n"
	c2 := commit("config/app.env", secret, "b@example.com", time.Date(2024, 1, 2, 9, 0, 0, 0, zone))
	h := NewGoGitRepo(repo, "memory", Options{Log: zerolog.Nop()}).History()
	chunks := collect(t, h)
	var blob string
	for id, cs := range chunks {
		if len(cs) == 1 && string(cs[0].Data) == secret {
			blob = id
		}
	}
	if blob == "" || len(chunks) != 2 {
		t.Fatalf("want the secret among 2 contents, got %d contents", len(chunks))
	}
	if st := h.Stats(); st.Commits != 2 || st.Blobs != 2 {
		t.Errorf("stats %+v", st)
	}
	locs, err := h.Locate(context.Background(), []string{blob})
	if err != nil {
		t.Fatal(err)
	}
	if len(locs[blob]) != 1 {
		t.Fatalf("locations %+v", locs)
	}
	l := locs[blob][0]
	if l.Commit != c2 || l.Path != "config/app.env" || l.AuthorEmail != "b@example.com" ||
		l.Date.Format(time.RFC3339) != "2024-01-02T09:00:00+02:00" || len(l.Prior) != 0 {
		t.Errorf("location %+v", l)
	}
}

func TestOpenRepoWithoutGitBinaryUsesGoGit(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "alpha\n")
	c1 := r.commit("one", "2024-12-01T10:00:00Z", ggAda)
	r.write("b.txt", "alpha\n")
	c2 := r.commit("two", "2024-12-02T10:00:00Z", "Bo Ops <bo@example.com>")
	blob := r.git("rev-parse", "HEAD:a.txt")
	t.Setenv("PATH", t.TempDir()) // no git binary from here on
	repo := r.open()
	if _, ok := repo.b.(goGit); !ok {
		t.Fatalf("backend %T, want go-git", repo.b)
	}
	h := repo.History()
	if chunks := collect(t, h); len(chunks) != 1 || len(chunks[blob]) != 1 {
		t.Fatalf("want the one blob once, got %d contents", len(chunks))
	}
	locs, err := h.Locate(context.Background(), []string{blob})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, l := range locs[blob] {
		got[l.Path] = l.Commit + " " + l.AuthorEmail
	}
	if got["a.txt"] != c1+" ada@example.com" || got["b.txt"] != c2+" bo@example.com" || len(got) != 2 {
		t.Fatalf("locations %v", got)
	}
	src, err := repo.Range(context.Background(), c1+".."+c2)
	if err != nil {
		t.Fatal(err)
	}
	if chunks := collect(t, src); len(chunks[blob]) != 1 || chunks[blob][0].Locations[0].Path != "b.txt" {
		t.Errorf("range chunks %+v", chunks)
	}
	if _, err := repo.Range(context.Background(), "nope.."+c2); err == nil || !strings.Contains(err.Error(), "not a commit") {
		t.Errorf("range from a revision that names nothing: %v", err)
	}
}
