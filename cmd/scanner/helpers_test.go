package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/rules"
)

// gitEnv isolates every git process of the tests, the scanner's own
// included, from the user's and the system's configuration.
var gitEnv = map[string]string{
	"GIT_CONFIG_GLOBAL":   "/dev/null",
	"GIT_CONFIG_NOSYSTEM": "1",
	"GIT_AUTHOR_NAME":     "Ada Dev",
	"GIT_AUTHOR_EMAIL":    "ada@example.com",
	"GIT_COMMITTER_NAME":  "Ada Dev",
	"GIT_COMMITTER_EMAIL": "ada@example.com",
}

// testRepo is a real git repository built with the git CLI.
type testRepo struct {
	t   *testing.T
	dir string
}

// newTestRepo makes an empty repository on branch main.
func newTestRepo(t *testing.T) *testRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git binary")
	}
	r := &testRepo{t: t, dir: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	return r
}

// git runs git in the repository and returns its trimmed output.
func (r *testRepo) git(args ...string) string {
	r.t.Helper()
	return r.gitWith(nil, args...)
}

func (r *testRepo) gitWith(env []string, args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// write writes a file of the work tree, creating its directories.
func (r *testRepo) write(path, content string) {
	r.t.Helper()
	writeFile(r.t, filepath.Join(r.dir, path), content)
}

// commit stages everything and commits it as author ("Name <email>") at
// date (RFC 3339), returning the commit id.
func (r *testRepo) commit(msg, date, author string) string {
	r.t.Helper()
	r.git("add", "-A")
	r.gitWith(commitEnv(date, author), "commit", "-q", "--allow-empty", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

// merge merges branch into the current one with a merge commit.
func (r *testRepo) merge(branch, date, author string) string {
	r.t.Helper()
	r.gitWith(commitEnv(date, author), "merge", "-q", "--no-ff", "-m", "merge "+branch, branch)
	return r.git("rev-parse", "HEAD")
}

func commitEnv(date, author string) []string {
	name, email, _ := strings.Cut(author, " <")
	return []string{"GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date,
		"GIT_AUTHOR_NAME=" + name, "GIT_AUTHOR_EMAIL=" + strings.TrimSuffix(email, ">")}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// newFixture generates credential-shaped values from a seed picked at run
// time; the seed is logged so that a failure can be replayed.
func newFixture(t *testing.T) *rules.Fixture {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	t.Logf("fixture seed %d", seed)
	return rules.NewFixture(rand.New(rand.NewPCG(seed, seed^0x5eed)))
}

// render fills a template with the fixture's values.
func render(t *testing.T, fx *rules.Fixture, text string) string {
	t.Helper()
	s, err := fx.Render(t.Name(), text)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// result is what one run of the command did.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI calls run with args and stdin.
func runCLI(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// wantCode fails the test when the run did not exit with code.
func (r result) wantCode(t *testing.T, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
}

// readReport decodes a JSON report.
func readReport(t *testing.T, data string) *report.Report {
	t.Helper()
	rep, err := report.ReadJSON(strings.NewReader(data))
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	return rep
}

// oneStderrLine fails unless stderr is exactly one line containing want.
func oneStderrLine(t *testing.T, r result, want string) {
	t.Helper()
	if strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "\n") {
		t.Errorf("stderr is not one line: %q", r.stderr)
	}
	if !strings.Contains(r.stderr, want) {
		t.Errorf("stderr %q does not mention %q", r.stderr, want)
	}
}

// scrubber replaces run-dependent values (credentials, ids, paths) with
// stable placeholders, in the order they were added.
type scrubber struct{ pairs []string }

func (s *scrubber) add(old, placeholder string) {
	if old != "" {
		s.pairs = append(s.pairs, old, placeholder)
	}
}

// secret adds a credential value and its redacted form under name.
func (s *scrubber) secret(name, raw string) {
	s.add(raw, "<"+name+">")
	if r := finding.Redact(raw); r != "****" {
		s.add(r, "<"+name+" redacted>")
	}
}

var (
	durationRe = regexp.MustCompile(`"duration_ms": \d+`)
	oidRe      = regexp.MustCompile(`\b[0-9a-f]{40}\b`)
	// credentialRe matches what must never reach a golden file.
	credentialRe = regexp.MustCompile(`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-f]{32,}|eyJ[A-Za-z0-9_-]{10,}`)
)

func (s *scrubber) apply(text string) string {
	text = strings.NewReplacer(s.pairs...).Replace(text)
	text = oidRe.ReplaceAllString(text, "<blob>")
	return durationRe.ReplaceAllString(text, `"duration_ms": 0`)
}

// fixtureScrubber knows the fixture's values, their fingerprints and the
// claims of its Kustomer key.
func fixtureScrubber(t *testing.T, fx *rules.Fixture) *scrubber {
	t.Helper()
	s := &scrubber{}
	s.add(fingerprint(fx.ID, fx.Key), "<fingerprint crisp-1>")
	s.add(fingerprint(fx.ID2, fx.Key2), "<fingerprint crisp-2>")
	s.add(fingerprint(fx.KustomerKey), "<fingerprint kustomer>")
	s.add(fingerprint(fx.Token), "<fingerprint bearer>")
	s.secret("kustomer-key", fx.KustomerKey)
	for name, v := range kustomerClaims(t, fx.KustomerKey) {
		s.add(v, "<kustomer "+name+">")
	}
	s.secret("bearer-token", fx.Token)
	s.secret("crisp-key-2", fx.Key2)
	s.secret("crisp-key", fx.Key)
	s.secret("crisp-id-2", fx.ID2)
	s.secret("crisp-id", fx.ID)
	s.secret("website-id", fx.WebsiteID)
	return s
}

func fingerprint(values ...string) string {
	parts := make([]finding.Part, len(values))
	for i, v := range values {
		parts[i] = finding.Part{Value: finding.NewSecret(v)}
	}
	return finding.Fingerprint(parts...)
}

// kustomerClaims returns the random string claims of a fixture Kustomer key.
func kustomerClaims(t *testing.T, jwt string) map[string]string {
	t.Helper()
	seg := strings.Split(jwt, ".")
	body, err := base64.RawURLEncoding.DecodeString(seg[1])
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(body, &c); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, k := range []string{"id", "user", "org", "orgName"} {
		out[k], _ = c[k].(string)
	}
	return out
}

// checkGolden compares got with testdata/name, or rewrites the file with
// -update. It refuses content that still looks like a credential.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	if m := credentialRe.FindString(got); m != "" {
		t.Fatalf("golden %s would hold a credential-shaped value (%d chars); add a placeholder", name, len(m))
	}
	path := filepath.Join("testdata", name)
	if *update {
		writeFile(t, path, got)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (run with -update after checking):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// rawValues are the fixture values no redacted output may hold.
func rawValues(fx *rules.Fixture) map[string]string {
	return map[string]string{
		"crisp identifier": fx.ID, "crisp key": fx.Key, "second crisp identifier": fx.ID2,
		"second crisp key": fx.Key2, "kustomer key": fx.KustomerKey, "bearer token": fx.Token,
	}
}

// noRawValues fails when out holds any raw fixture value.
func noRawValues(t *testing.T, fx *rules.Fixture, where, out string) {
	t.Helper()
	for name, v := range rawValues(fx) {
		if strings.Contains(out, v) {
			t.Errorf("%s holds the raw %s", where, name)
		}
	}
}

// scenario is a repository whose history leaks credentials in the ways the
// end-to-end tests need.
type scenario struct {
	repo    *testRepo
	fx      *rules.Fixture
	commits map[string]string // label -> commit id
}

const (
	crispEnv    = "CRISP_IDENTIFIER={{.ID}}\nCRISP_KEY={{.Key}}\n"
	crispEnv2   = "CRISP_IDENTIFIER={{.ID2}}\nCRISP_KEY={{.Key2}}\n"
	kustomerEnv = "KUSTOMER_API_KEY={{.KustomerKey}}\nKUSTOMER_ORG=acme\n"
	bearerCurl  = "#!/bin/sh\ncurl -H \"Authorization: Bearer {{.Token}}\" https://api.example.net/v1/me\n"
)

// historyScenario builds: c1 a README on main; on branch feature, c2 (Bo)
// adds a Crisp pair in .env, c3 (Cy) a second pair in legacy/crisp.env, c4
// (Cy) copies .env to app/settings.env; c5 merges feature into main; c6 (Dee)
// removes legacy/crisp.env and adds a Kustomer key; c7 (Eve) adds a Bearer
// token in a script and edits .env. A dangling blob holds a Bearer token too.
func historyScenario(t *testing.T) *scenario {
	t.Helper()
	r := newTestRepo(t)
	s := &scenario{repo: r, fx: newFixture(t), commits: map[string]string{}}
	r.write("README.md", "# demo\n")
	s.commits["c1"] = r.commit("readme", "2024-01-01T10:00:00Z", "Ada Dev <ada@example.com>")
	r.git("checkout", "-q", "-b", "feature")
	r.write(".env", render(t, s.fx, crispEnv))
	s.commits["c2"] = r.commit("crisp env", "2024-01-02T10:00:00Z", "Bo Ops <bo@example.com>")
	r.write("legacy/crisp.env", render(t, s.fx, crispEnv2))
	s.commits["c3"] = r.commit("legacy env", "2024-01-03T10:00:00Z", "Cy Sec <cy@example.com>")
	r.write("app/settings.env", render(t, s.fx, crispEnv))
	s.commits["c4"] = r.commit("copy env", "2024-01-04T10:00:00Z", "Cy Sec <cy@example.com>")
	r.git("checkout", "-q", "main")
	s.commits["c5"] = r.merge("feature", "2024-01-05T10:00:00Z", "Ada Dev <ada@example.com>")
	r.git("rm", "-q", "legacy/crisp.env")
	r.write("deploy/kustomer.env", render(t, s.fx, kustomerEnv))
	s.commits["c6"] = r.commit("kustomer", "2024-01-06T10:00:00Z", "Dee Ops <dee@example.com>")
	r.write("scripts/call.sh", render(t, s.fx, bearerCurl))
	r.write(".env", render(t, s.fx, crispEnv+"LOG_LEVEL=debug\n"))
	s.commits["c7"] = r.commit("script", "2024-01-07T10:00:00Z", "Eve Dev <eve@example.com>")
	draft := filepath.Join(t.TempDir(), "draft.sh")
	writeFile(t, draft, render(t, s.fx, "# draft\n"+bearerCurl))
	r.git("hash-object", "-w", draft)
	return s
}

// scrubber returns the scrubber for the scenario's reports.
func (s *scenario) scrubber(t *testing.T) *scrubber {
	t.Helper()
	sc := &scrubber{}
	for label, id := range s.commits {
		sc.add(id, "<commit "+label+">")
	}
	sc.pairs = append(sc.pairs, fixtureScrubber(t, s.fx).pairs...)
	sc.add(s.repo.dir, "<repo>")
	return sc
}

// hide replaces the fixture's raw values in out, for failure messages.
func hide(fx *rules.Fixture, out string) string {
	for _, v := range rawValues(fx) {
		out = strings.ReplaceAll(out, v, "<raw>")
	}
	return out
}

// leakCase is one run that must not print a raw credential.
type leakCase struct {
	name, command, format, logFormat string
	show                             bool // --show-secrets (only SARIF must stay redacted then)
}

func leakCases() []leakCase {
	var out []leakCase
	for _, command := range []string{"git", "dir", "stdin"} {
		for _, format := range []string{"text", "json", "sarif"} {
			for _, logFormat := range []string{"text", "json"} {
				c := leakCase{command + "/" + format + "/log-" + logFormat, command, format, logFormat, false}
				out = append(out, c)
				if format == "sarif" {
					c.name, c.show = c.name+"/show-secrets", true
					out = append(out, c)
				}
			}
		}
	}
	return out
}
