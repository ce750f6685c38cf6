package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/rules"
)

// hookProcessEnv makes this test binary act as the pre-receive hook (see
// TestPreReceiveHookProcess).
const hookProcessEnv = "SCANNER_TEST_PRE_RECEIVE"

// TestPreReceiveHookProcess is not a test: the hook the push tests install
// runs this test binary back with hookProcessEnv set, and it runs
// runPreReceive as the built binary's "pre-receive" command would.
func TestPreReceiveHookProcess(t *testing.T) {
	if os.Getenv(hookProcessEnv) == "" {
		t.Skip("run by the pre-receive hook of TestPreReceiveWithRealPushes")
	}
	code, err := runPreReceive(context.Background(), nil, env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr})
	if err != nil {
		fmt.Fprintf(os.Stderr, "scanner: %s\n", oneLine(err.Error()))
	}
	os.Exit(code)
}

// pushRig is a bare "server" repository, with the pre-receive hook
// installed when asked, and a clone of it to push from.
type pushRig struct {
	t              *testing.T
	server, client string
}

var prGitEnv = []string{"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
	"GIT_AUTHOR_NAME=Ada Dev", "GIT_AUTHOR_EMAIL=ada@example.com",
	"GIT_COMMITTER_NAME=Ada Dev", "GIT_COMMITTER_EMAIL=ada@example.com"}

func newPushRig(t *testing.T, withHook bool) *pushRig {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git binary")
	}
	base := t.TempDir()
	r := &pushRig{t: t, server: filepath.Join(base, "server.git"), client: filepath.Join(base, "client")}
	r.gitIn(base, "init", "-q", "--bare", "-b", "main", r.server)
	r.gitIn(r.server, "config", "receive.advertisePushOptions", "true")
	r.gitIn(base, "clone", "-q", r.server, r.client)
	if !withHook {
		return r
	}
	hook := fmt.Sprintf("#!/bin/sh\nexec env %s=1 %q -test.run='^TestPreReceiveHookProcess$'\n", hookProcessEnv, os.Args[0])
	if err := os.WriteFile(filepath.Join(r.server, "hooks", "pre-receive"), []byte(hook), 0o755); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *pushRig) gitIn(dir string, args ...string) string {
	r.t.Helper()
	out, err := r.tryGit(dir, args...)
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(out)
}

func (r *pushRig) tryGit(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), prGitEnv...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (r *pushRig) commit(path, content, msg string) {
	r.t.Helper()
	p := filepath.Join(r.client, path)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
	r.gitIn(r.client, "add", "-A")
	r.gitIn(r.client, "commit", "-q", "-m", msg)
}

// push pushes from the client and returns git's output (the hook's lines
// come prefixed with "remote:") and whether the server accepted.
func (r *pushRig) push(args ...string) (string, bool) {
	r.t.Helper()
	out, err := r.tryGit(r.client, append([]string{"push", "origin"}, args...)...)
	return out, err == nil
}

func TestPreReceiveWithRealPushes(t *testing.T) {
	if os.Getenv(hookProcessEnv) != "" {
		t.Skip("inside the hook")
	}
	r := newPushRig(t, true)
	fx := rules.NewFixture(rand.New(rand.NewPCG(7, 17)))
	noRaw := func(step, out string) {
		t.Helper()
		if strings.Contains(out, fx.ID) || strings.Contains(out, fx.Key) {
			t.Fatalf("%s: a raw value reached the pusher", step)
		}
	}
	pair := "CRISP_IDENTIFIER=" + fx.ID + "\nCRISP_KEY=" + fx.Key + "\n"

	r.commit("README.md", "# app\n", "readme")
	if out, ok := r.push("main"); !ok {
		t.Fatalf("a clean push was rejected:\n%s", out)
	}
	r.gitIn(r.client, "checkout", "-q", "-b", "leaky")
	r.commit("config/app.env", "PORT=8080\n"+pair, "config")
	out, ok := r.push("leaky")
	noRaw("leak", out)
	if ok || !strings.Contains(out, "push rejected: 1 credential") || !strings.Contains(out, "config/app.env:2") {
		t.Fatalf("a push adding a Crisp pair: accepted=%v\n%s", ok, out)
	}
	if strings.Contains(out, "-o scanner.skip") {
		t.Fatalf("the rejection offers a bypass the server does not allow:\n%s", out)
	}
	out, ok = r.push("-o", "scanner.skip", "leaky")
	noRaw("skip refused", out)
	if ok || !strings.Contains(out, "not allowed on this server") {
		t.Fatalf("-o scanner.skip where not allowed: accepted=%v\n%s", ok, out)
	}
	r.gitIn(r.server, "config", "scanner.allowSkip", "true")
	if out, _ = r.push("leaky"); !strings.Contains(out, "git push -o scanner.skip") {
		t.Fatalf("the rejection does not offer the allowed bypass:\n%s", out)
	}
	out, ok = r.push("-o", "scanner.skip", "leaky")
	noRaw("skip", out)
	if !ok || !strings.Contains(out, "bypassed") || !strings.Contains(out, "config/app.env") {
		t.Fatalf("-o scanner.skip where allowed: accepted=%v\n%s", ok, out)
	}
	r.gitIn(r.server, "config", "--unset", "scanner.allowSkip")

	// the secret is on the server now (branch leaky): what builds on it is
	// judged by what it adds
	r.gitIn(r.client, "checkout", "-q", "-b", "more", "leaky")
	r.commit("config/app.env", "PORT=9090\n"+pair, "port")
	r.commit("src/main.go", "package main\n", "code")
	if out, ok := r.push("more"); !ok {
		t.Fatalf("a push whose secret is already on another branch was rejected:\n%s", out)
	}
	r.gitIn(r.client, "checkout", "-q", "main")
	r.gitIn(r.client, "merge", "-q", "--no-ff", "-m", "merge", "more")
	r.gitIn(r.client, "tag", "-a", "-m", "v1", "v1")
	if out, ok := r.push("main", "v1"); !ok {
		t.Fatalf("merging a branch the server has, and a tag, was rejected:\n%s", out)
	}
	if out, ok := r.push(":leaky", ":more"); !ok {
		t.Fatalf("deleting branches was rejected:\n%s", out)
	}

	r.commit("deploy/ci.env", "CRISP_IDENTIFIER="+fx.ID2+"\nCRISP_KEY="+fx.Key2+" # scanner:allow test value\n", "allowed")
	if out, ok := r.push("main"); !ok {
		t.Fatalf("a pair marked scanner:allow was rejected:\n%s", out)
	}
	r.commit("deploy/prod.env", "CRISP_IDENTIFIER="+fx.ID3+"\nCRISP_KEY="+fx.Key3+"\n", "new leak")
	r.commit("deploy/prod.env", "# moved to the vault\n", "remove it again")
	out, ok = r.push("main")
	noRaw("leak then delete", out)
	if ok || !strings.Contains(out, "deploy/prod.env:1") {
		t.Fatalf("a leak deleted by a later commit of the same push: accepted=%v\n%s", ok, out)
	}
}

func TestGitMode(t *testing.T) {
	tests := []struct {
		args     []string
		want     string
		wantRest string
	}{
		{[]string{"--pre-receive"}, "pre-receive", ""},
		{[]string{".", "-pre-receive", "--allow-skip"}, "pre-receive", ". --allow-skip"},
		{[]string{"--verify-purged", "r.json", "repo"}, "verify-purged", "r.json repo"},
		{[]string{"repo", "--verify-purged=r.json"}, "verify-purged", "r.json repo"},
		{[]string{"--range", "a..b", "."}, "", "--range a..b ."},
		{[]string{"--", "--pre-receive"}, "", "-- --pre-receive"},
		{[]string{"pre-receive"}, "", "pre-receive"},
	}
	for _, tt := range tests {
		fn, rest, ok := gitMode(tt.args)
		got := ""
		if ok {
			for name, f := range gitModes {
				if reflect.ValueOf(f).Pointer() == reflect.ValueOf(fn).Pointer() {
					got = name
				}
			}
		}
		if got != tt.want || strings.Join(rest, " ") != tt.wantRest {
			t.Errorf("gitMode(%q) = %q, %q; want %q, %q", tt.args, got, rest, tt.want, tt.wantRest)
		}
	}
}
