package source

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/finding"
)

func TestParseRefUpdates(t *testing.T) {
	a, b := strings.Repeat("a", 40), strings.Repeat("B", 40)
	zero := strings.Repeat("0", 40)
	good := a + " " + b + " refs/heads/main\r\n\n" + zero + " " + a + " refs/tags/v1\n" + a + " " + zero + " refs/heads/old"
	got, err := ParseRefUpdates(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	want := []RefUpdate{{a, strings.ToLower(b), "refs/heads/main"}, {zero, a, "refs/tags/v1"}, {a, zero, "refs/heads/old"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if !got[1].Creates() || got[1].Deletes() || !got[2].Deletes() || got[0].Creates() {
		t.Fatalf("creates/deletes wrong: %+v", got)
	}
	for _, bad := range []string{
		a + " " + b,                         // no ref
		a + " " + b + " refs/heads/x extra", // too many fields
		"abc " + b + " refs/heads/x",        // short id
		a + " " + b + " --upload-pack=evil", // option-like ref
		a + " " + "g" + b[1:] + " refs/h/x", // not hex
		a + "  " + b + " refs/heads/x",      // double space
		a + " " + b + " refs/heads/x\n" + a, // a bad second line
	} {
		if _, err := ParseRefUpdates(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// pushedPaths runs a Pushed source and returns "path@commit" for each
// location of each blob it read, sorted.
func pushedPaths(t *testing.T, repo *Repo, updates ...RefUpdate) []string {
	t.Helper()
	src, err := repo.Pushed(bg(), updates)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, cs := range collect(t, src) {
		for _, l := range cs[0].Locations {
			out = append(out, l.Path+"@"+l.Commit)
		}
	}
	sort.Strings(out)
	return out
}

func TestPushedIsWhatNoExistingRefReaches(t *testing.T) {
	r := newTestRepo(t)
	zero := strings.Repeat("0", 40)
	r.write("a.txt", "base\n")
	base := r.commit("base", day(1), "")
	r.git("checkout", "-q", "-b", "other")
	r.write("shared.txt", "on another branch already\n")
	shared := r.commit("shared", day(2), "")
	// commits the "push" brings: made on branches that are then deleted, so
	// that no ref reaches them, as in a pre-receive hook
	r.write("new.txt", "new on top of other\n")
	newTip := r.commit("new", day(3), "")
	r.git("checkout", "-q", "main")
	r.write("a.txt", "changed on main\n")
	mainTip := r.commit("main moves", day(4), "")
	r.git("reset", "-q", "--hard", base)
	r.git("branch", "-q", "-f", "other", shared)
	blob := r.git("hash-object", "-w", "--stdin", "--path", "x")
	r.git("tag", "-a", "-m", "a tag of a blob", "blobtag", blob)
	tag := r.rev("refs/tags/blobtag")
	r.git("tag", "-d", "blobtag")
	repo := r.open()
	tests := []struct {
		name    string
		updates []RefUpdate
		want    []string
	}{
		{"new branch on top of another", []RefUpdate{{zero, newTip, "refs/heads/feature"}}, []string{"new.txt@" + newTip}},
		{"update", []RefUpdate{{base, mainTip, "refs/heads/main"}}, []string{"a.txt@" + mainTip}},
		{"new branch at an existing commit", []RefUpdate{{zero, shared, "refs/heads/copy"}}, nil},
		{"deletion", []RefUpdate{{shared, zero, "refs/heads/other"}}, nil},
		{"tag of a blob", []RefUpdate{{zero, tag, "refs/tags/blobtag"}}, []string{"(tag " + tag + ")@"}},
		{"all at once", []RefUpdate{{zero, newTip, "refs/heads/feature"}, {base, mainTip, "refs/heads/main"}, {shared, zero, "refs/heads/other"}},
			[]string{"a.txt@" + mainTip, "new.txt@" + newTip}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := pushedPaths(t, repo, tt.updates...)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
	if _, err := repo.Pushed(bg(), []RefUpdate{{zero, "--all", "refs/heads/x"}}); err == nil {
		t.Fatal("an option-like id was accepted")
	}
	src, _ := repo.Pushed(bg(), []RefUpdate{{zero, strings.Repeat("1", 40), "refs/heads/x"}})
	if err := src.Chunks(bg(), func(c finding.Chunk) error { return nil }); err == nil {
		t.Fatal("a tip the repository lacks gave no error")
	}
}

func TestPushedNeedsGitBinary(t *testing.T) {
	r := newTestRepo(t)
	r.commit("one", day(1), "")
	gg, err := openGoGit(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	repo := &Repo{path: r.dir, b: gg, opts: quiet()}
	if _, err := repo.Pushed(bg(), nil); !errors.Is(err, ErrNeedsGit) {
		t.Fatalf("got %v, want ErrNeedsGit", err)
	}
}

// helperEnv names the file a pre-receive helper run writes what it read to.
const helperEnv = "SOURCE_TEST_PRERECEIVE_OUT"

// TestPreReceiveHelper is not a test: it is what the pre-receive hook of
// TestPushedReadsQuarantinedObjects runs (this test binary, called back).
// It reads the push, writes "path: content" lines and the quarantine path,
// and rejects a push that holds "REJECT-ME".
func TestPreReceiveHelper(t *testing.T) {
	out := os.Getenv(helperEnv)
	if out == "" {
		t.Skip("run by the pre-receive hook of TestPushedReadsQuarantinedObjects")
	}
	code, report := preReceiveHelper()
	if err := os.WriteFile(out, []byte(report), 0o644); err != nil {
		os.Exit(3)
	}
	os.Exit(code)
}

func preReceiveHelper() (int, string) {
	ctx := context.Background()
	updates, err := ParseRefUpdates(os.Stdin)
	if err != nil {
		return 2, err.Error()
	}
	repo, err := OpenRepo(ctx, ".", quiet())
	if err != nil {
		return 2, err.Error()
	}
	src, err := repo.Pushed(ctx, updates)
	if err != nil {
		return 2, err.Error()
	}
	var lines []string
	code := 0
	ch := make(chan string, 64)
	done := make(chan struct{})
	go func() {
		for l := range ch {
			lines = append(lines, l)
		}
		close(done)
	}()
	err = src.Chunks(ctx, func(c finding.Chunk) error {
		ch <- c.Locations[0].Path + ": " + strings.TrimSpace(string(c.Data))
		return nil
	})
	close(ch)
	<-done
	if err != nil {
		return 2, err.Error()
	}
	sort.Strings(lines)
	for _, l := range lines {
		if strings.Contains(l, "REJECT-ME") {
			code = 1
		}
	}
	q := "quarantine=" + fmt.Sprint(os.Getenv("GIT_QUARANTINE_PATH") != "")
	return code, strings.Join(append(lines, q), "\n")
}

func TestPushedReadsQuarantinedObjects(t *testing.T) {
	if os.Getenv(helperEnv) != "" {
		t.Skip("inside the helper")
	}
	client := newTestRepo(t)
	server := filepath.Join(t.TempDir(), "server.git")
	client.git("init", "-q", "--bare", "-b", "main", server)
	out := filepath.Join(t.TempDir(), "out")
	hook := fmt.Sprintf("#!/bin/sh\nexec env %s=%q %q -test.run='^TestPreReceiveHelper$'\n", helperEnv, out, os.Args[0])
	if err := os.WriteFile(filepath.Join(server, "hooks", "pre-receive"), []byte(hook), 0o755); err != nil {
		t.Fatal(err)
	}
	client.git("remote", "add", "origin", server)
	push := func(args ...string) (string, error) {
		cmd := exec.Command("git", append([]string{"push", "-q", "origin"}, args...)...)
		cmd.Dir = client.dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		b, err := cmd.CombinedOutput()
		got, _ := os.ReadFile(out)
		_ = os.Remove(out)
		return string(got), errors.Join(err, errors.New(string(b)))
	}
	client.write("a.txt", "first\n")
	client.commit("one", day(1), "")
	if got, err := push("main"); !strings.Contains(got, "a.txt: first") || !strings.Contains(got, "quarantine=true") {
		t.Fatalf("first push: hook read %q (%v)", got, err)
	}
	client.write("b.txt", "REJECT-ME\n")
	bad := client.commit("two", day(2), "")
	got, err := push("main")
	if !strings.Contains(got, "b.txt: REJECT-ME") || strings.Contains(got, "a.txt") {
		t.Fatalf("second push: hook read %q", got)
	}
	if err == nil || exec.Command("git", "-C", server, "cat-file", "-e", bad).Run() == nil {
		t.Fatalf("the rejected push landed (%v)", err)
	}
	client.git("reset", "-q", "--hard", "HEAD~1")
	if got, _ := push("HEAD:refs/heads/copy"); got != "quarantine=true" {
		t.Fatalf("a branch at a commit the server has read %q", got)
	}
}
