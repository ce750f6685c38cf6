package source

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The in-process merge base is git's wherever it answers; where git finds
// several or none, it leaves the answer to git.
func TestMergeBaseAgreesWithGit(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "0\n")
	root := r.commit("root", day(1), "")
	r.write("a.txt", "1\n")
	c1 := r.commit("c1", day(2), "")
	r.git("checkout", "-q", "-b", "side")
	r.write("s.txt", "s\n")
	s1 := r.commit("s1", day(3), "")
	r.git("checkout", "-q", "main")
	r.write("a.txt", "2\n")
	c2 := r.commit("c2", day(4), "")
	r.gitEnv([]string{"GIT_COMMITTER_DATE=" + day(5)}, "merge", "-q", "--no-edit", "side")
	m := r.rev("HEAD")
	r.git("checkout", "-q", "side")
	r.write("s.txt", "s2\n")
	s2 := r.commit("s2, after the merge", day(6), "")
	// criss-cross: each side merges the other's tip
	r.git("checkout", "-q", "-b", "x1", c2)
	r.gitEnv([]string{"GIT_COMMITTER_DATE=" + day(7)}, "merge", "-q", "--no-edit", s1)
	x1 := r.rev("HEAD")
	r.git("checkout", "-q", "-b", "x2", s1)
	r.gitEnv([]string{"GIT_COMMITTER_DATE=" + day(8)}, "merge", "-q", "--no-edit", c2)
	x2 := r.rev("HEAD")
	r.git("checkout", "-q", "--orphan", "alone")
	r.write("o.txt", "o\n")
	alone := r.commit("unrelated", day(9), "")
	pairs := [][2]string{{root, c1}, {c1, c2}, {c2, c1}, {s1, c2}, {m, s2}, {s2, m}, {c2, c2}, {root, m}, {x1, x2}, {alone, m}, {s2, c2}}
	for _, packed := range []bool{false, true} {
		if packed {
			r.git("repack", "-adq")
		}
		o, err := openObjReader(filepath.Join(r.dir, ".git", "objects"))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pairs {
			out, gitErr := exec.Command("git", "-C", r.dir, "merge-base", "--all", p[0], p[1]).Output()
			want := strings.Fields(string(out))
			got, err := o.mergeBase(filepath.Join(r.dir, ".git"), p[0], p[1])
			switch {
			case gitErr != nil || len(want) != 1:
				if err != errAskGit {
					t.Errorf("%s %s: git says %v, in-process %s, %v; want it left to git", p[0][:7], p[1][:7], want, got, err)
				}
			case err != nil || got != want[0]:
				t.Errorf("%s %s: in-process %s, %v; git says %s", p[0][:7], p[1][:7], got, err, want[0])
			}
		}
		o.close()
	}
}
