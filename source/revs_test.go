package source

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Every revision the in-process resolver answers, it answers as git
// rev-parse --verify REV^{commit} does; the rest it leaves to git.
func TestResolveRevAgreesWithRevParse(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "0\n")
	r.commit("root", day(1), "")
	r.write("a.txt", "1\n")
	r.commit("one", day(2), "")
	r.git("checkout", "-q", "-b", "side")
	r.write("s.txt", "s\n")
	r.commit("side", day(3), "")
	r.git("checkout", "-q", "main")
	r.write("a.txt", "2\n")
	r.commit("two", day(4), "")
	r.gitEnv([]string{"GIT_COMMITTER_DATE=" + day(5)}, "merge", "-q", "--no-edit", "side")
	r.git("tag", "light")
	r.git("tag", "-a", "-m", "annotated", "v1", "HEAD~1")
	r.git("tag", "-a", "-m", "a tag of a tag", "v1-again", "v1")
	r.git("tag", "side-tag", "side") // a tag and a branch of one name below
	r.git("tag", "both", "HEAD~2")
	r.git("branch", "both", "side")
	r.git("branch", "feature/x", "side")
	r.git("update-ref", "refs/remotes/origin/main", "HEAD~1")
	r.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")
	r.git("tag", "tree-tag", "HEAD^{tree}")
	head := r.rev("HEAD")
	revs := []string{"HEAD", "HEAD~1", "HEAD~", "HEAD^", "HEAD^2", "HEAD^2~1", "HEAD~2^2", "HEAD^0", "HEAD~3",
		"HEAD~4", "HEAD~9", "HEAD^3", "main", "main~1", "refs/heads/main", "side", "light", "v1", "v1~1",
		"v1-again", "both", "origin/main", "origin", "feature/x", "feature", "tree-tag", head, strings.ToUpper(head),
		head[:12], "nosuch", "HEAD@{1}", ":/two", "@", "ORIG_HEAD", "main..side", "HEAD~1^{commit}", "refs/tags/v1"}
	for _, packed := range []bool{false, true} {
		if packed {
			r.git("pack-refs", "--all")
			r.git("repack", "-adq")
		}
		o, err := openObjReader(filepath.Join(r.dir, ".git", "objects"))
		if err != nil {
			t.Fatal(err)
		}
		answered := 0
		for _, rev := range revs {
			out, gitErr := exec.Command("git", "-C", r.dir, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}").Output()
			got, ok := o.resolveRev(filepath.Join(r.dir, ".git"), rev)
			if !ok {
				continue
			}
			answered++
			if want := strings.TrimSpace(string(out)); gitErr != nil || got != want {
				t.Errorf("packed %v: %s: in-process %s; git says %q, %v", packed, rev, got, want, gitErr)
			}
		}
		if answered < 20 {
			t.Errorf("packed %v: answered only %d revisions", packed, answered)
		}
		o.close()
	}
}

// Replacement refs, loose or packed, change what a commit's parents are:
// git answers then.
func TestResolveRevLeavesReplacedHistoriesToGit(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "0\n")
	root := r.commit("root", day(1), "")
	r.write("a.txt", "1\n")
	middle := r.commit("one", day(2), "")
	r.write("a.txt", "2\n")
	r.commit("two", day(3), "")
	r.git("replace", "--graft", "HEAD", root) // HEAD~1 is root for git now
	o, err := openObjReader(filepath.Join(r.dir, ".git", "objects"))
	if err != nil {
		t.Fatal(err)
	}
	defer o.close()
	gitDir := filepath.Join(r.dir, ".git")
	head := r.rev("HEAD")
	for _, how := range []string{"loose", "packed"} {
		if how == "packed" {
			r.git("pack-refs", "--all")
			if err := os.RemoveAll(filepath.Join(gitDir, "refs", "replace")); err != nil {
				t.Fatal(err)
			}
		}
		if id, ok := o.resolveRev(gitDir, "HEAD~1"); ok {
			t.Fatalf("%s: answered %s under a replacement ref", how, id)
		}
		if id, err := o.mergeBase(gitDir, head, middle); err != errAskGit {
			t.Fatalf("%s: merge base %s, %v under a replacement ref", how, id, err)
		}
	}
	r.git("replace", "-d", head)
	if id, ok := o.resolveRev(gitDir, "HEAD~1"); !ok || id != middle {
		t.Fatalf("got %s, %v without it", id, ok)
	}
}
