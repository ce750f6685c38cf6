package pipeline_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/detect"
	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/rules"
	"github.com/scanner-dev/scanner/source"
)

// repo is a real git repository in a temporary directory.
type repo struct {
	t   *testing.T
	dir string
	n   int
}

func newRepo(t *testing.T) *repo {
	t.Helper()
	r := &repo{t: t, dir: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	return r
}

func (r *repo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.dir}, args...)...)
	date := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.n) * time.Hour).Format(time.RFC3339)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=Ann", "GIT_AUTHOR_EMAIL=ann@example.com",
		"GIT_COMMITTER_NAME=Ann", "GIT_COMMITTER_EMAIL=ann@example.com",
		"GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date, "GIT_CONFIG_GLOBAL=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// commit writes files (path -> content; "" deletes) and commits them.
func (r *repo) commit(files map[string]string) string {
	r.t.Helper()
	r.n++
	for p, c := range files {
		full := filepath.Join(r.dir, p)
		if c == "" {
			os.Remove(full)
			continue
		}
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
	r.git("add", "-A")
	r.git("commit", "-q", "-m", "change")
	return r.git("rev-parse", "HEAD")
}

func fixture(t *testing.T) *rules.Fixture {
	seed := rand.Uint64()
	t.Logf("fixture seed %d", seed)
	return rules.NewFixture(rand.New(rand.NewPCG(seed, 1)))
}

func crispEnv(fx *rules.Fixture) string {
	return "CRISP_IDENTIFIER=" + fx.ID + "\nCRISP_KEY=" + fx.Key + "\n"
}

func history(t *testing.T, dir string) source.Source {
	t.Helper()
	r, err := source.OpenRepo(context.Background(), dir, source.Options{Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	return r.History()
}

func run(t *testing.T, in pipeline.Input) *pipeline.Result {
	t.Helper()
	if in.Detector == nil {
		in.Detector = detect.New(rules.MustDefault())
	}
	in.Log = zerolog.Nop()
	res, err := pipeline.Run(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// A credential is reported once per path, at the commit that introduced it:
// later edits of the file carry it over, and a copy at another path is a
// finding of its own.
func TestPlacesEachCredentialAtTheCommitThatIntroducedIt(t *testing.T) {
	fx := fixture(t)
	r := newRepo(t)
	r.commit(map[string]string{"README": "hello\n"})
	first := r.commit(map[string]string{"app/.env": crispEnv(fx)})
	r.commit(map[string]string{"app/.env": "# edited\n" + crispEnv(fx)})
	copied := r.commit(map[string]string{"deploy/.env": "X=1\n" + crispEnv(fx)})
	res := run(t, pipeline.Input{Source: history(t, r.dir)})
	if len(res.Findings) != 2 {
		t.Fatalf("%d findings, want 2: %+v", len(res.Findings), res.Findings)
	}
	want := map[string]string{"app/.env": first, "deploy/.env": copied}
	for _, f := range res.Findings {
		if want[f.Path] != f.Commit {
			t.Errorf("%s placed at %s, want %s", f.Path, f.Commit, want[f.Path])
		}
	}
	if res.Stats.Findings != 2 || res.Stats.Incomplete {
		t.Errorf("stats %+v", res.Stats)
	}
}

type listBaseline map[string]bool

func (b listBaseline) Has(f finding.Finding) bool { return b[f.Fingerprint] }

// Each hidden finding says why, with a typed reason.
func TestSuppressionReasonsAreTyped(t *testing.T) {
	fx := fixture(t)
	r := newRepo(t)
	r.commit(map[string]string{
		"inline.env": "CRISP_IDENTIFIER=" + fx.ID + "\nCRISP_KEY=" + fx.Key + " # scanner:allow\n",
		"base.env":   "CRISP_IDENTIFIER=" + fx.ID2 + "\nCRISP_KEY=" + fx.Key2 + "\n",
	})
	probe := run(t, pipeline.Input{Source: history(t, r.dir)})
	var fp string
	for _, f := range probe.Findings {
		if f.Path == "base.env" {
			fp = f.Fingerprint
		}
	}
	res := run(t, pipeline.Input{Source: history(t, r.dir), Baselines: []pipeline.Baseline{listBaseline{fp: true}}})
	if len(res.Findings) != 0 {
		t.Fatalf("reported %+v", res.Findings)
	}
	got := map[finding.SuppressReason]string{}
	for _, f := range res.Suppressed {
		got[f.Suppressed] = f.Path
	}
	if got[finding.SuppressedInline] != "inline.env" || got[finding.SuppressedBaseline] != "base.env" {
		t.Errorf("suppressed: %v", got)
	}
	if res.Stats.Suppressed["inline"] != 1 || res.Stats.Suppressed["baseline"] != 1 {
		t.Errorf("stats: %v", res.Stats.Suppressed)
	}
}

// liveValidator answers live for every credential it is given.
type liveValidator struct{ seen int }

func (v *liveValidator) Validate(_ context.Context, fs []finding.Finding) {
	for i := range fs {
		v.seen++
		fs[i].Validation = &finding.Validation{Status: finding.Live}
	}
}

// An inline allow comment does not hide a credential that answers live,
// unless the user says it may.
func TestInlineAllowDoesNotHideALiveCredential(t *testing.T) {
	fx := fixture(t)
	r := newRepo(t)
	r.commit(map[string]string{"a.env": "CRISP_IDENTIFIER=" + fx.ID + "\nCRISP_KEY=" + fx.Key + " # scanner:allow\n"})
	v := &liveValidator{}
	res := run(t, pipeline.Input{Source: history(t, r.dir), Validator: v})
	if len(res.Findings) != 1 || res.Findings[0].Details["inline_allow"] == "" || v.seen != 1 {
		t.Fatalf("findings %+v (validated %d)", res.Findings, v.seen)
	}
	res = run(t, pipeline.Input{Source: history(t, r.dir), Validator: &liveValidator{}, InlineAllowLive: true})
	if len(res.Findings) != 0 || len(res.Suppressed) != 1 {
		t.Errorf("with InlineAllowLive: %d reported, %d suppressed", len(res.Findings), len(res.Suppressed))
	}
}

// cancelAfter is a source that delivers some chunks, then is interrupted.
type cancelAfter struct {
	chunks []finding.Chunk
	cancel context.CancelFunc
}

func (c *cancelAfter) Chunks(ctx context.Context, fn func(finding.Chunk) error) error {
	for i, ch := range c.chunks {
		if i == 1 {
			c.cancel()
			<-ctx.Done()
			return ctx.Err()
		}
		if err := fn(ch); err != nil {
			return err
		}
	}
	return nil
}

func (c *cancelAfter) Stats() finding.Stats { return finding.Stats{Blobs: 1} }

// An interrupt keeps what was found so far, marked incomplete, and sends
// nothing to a provider.
func TestInterruptReportsWhatWasFoundSoFar(t *testing.T) {
	fx := fixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	loc := []finding.Location{{Path: "a.env"}}
	src := &cancelAfter{cancel: cancel, chunks: []finding.Chunk{
		{ID: "a", Data: []byte(crispEnv(fx)), Line: 1, Locations: loc},
		{ID: "b", Data: []byte(crispEnv(fx)), Line: 1, Locations: []finding.Location{{Path: "b.env"}}},
	}}
	v := &liveValidator{}
	res, err := pipeline.Run(ctx, pipeline.Input{Source: src, Detector: detect.New(rules.MustDefault()), Validator: v, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Stats.Incomplete || len(res.Findings) != 1 || res.Findings[0].Path != "a.env" {
		t.Errorf("incomplete=%v findings=%+v", res.Stats.Incomplete, res.Findings)
	}
	if v.seen != 0 {
		t.Errorf("validated %d credentials after an interrupt", v.seen)
	}
}

// A blob a history skips for its size is named by its path, not its id.
func TestSkippedLargeBlobsAreNamedByPath(t *testing.T) {
	r := newRepo(t)
	r.commit(map[string]string{"assets/big.txt": strings.Repeat("x", 4096) + "\n", "small.txt": "hi\n"})
	repo, err := source.OpenRepo(context.Background(), r.dir, source.Options{Log: zerolog.Nop(), MaxFileSize: 1024, WalkOnMark: true})
	if err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	res, err := pipeline.Run(context.Background(), pipeline.Input{Source: repo.History(),
		Detector: detect.New(rules.MustDefault()), Log: zerolog.New(&logs)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.SkippedLarge != 1 || !strings.Contains(logs.String(), `"path":"assets/big.txt"`) {
		t.Errorf("skipped %d; log:\n%s", res.Stats.SkippedLarge, logs.String())
	}
}

// siteValidator records the website ids it is given.
type siteValidator struct {
	liveValidator
	sites []string
}

func (v *siteValidator) AddWebsiteIDs(ids []string) { v.sites = append(v.sites, ids...) }

// The validator gets the Crisp website ids seen anywhere in the scan (the
// chatbox snippet in another file), not only those next to the pair.
func TestValidatorGetsTreeWideWebsiteIDs(t *testing.T) {
	fx := fixture(t)
	r := newRepo(t)
	r.commit(map[string]string{
		"web/index.html": `<script>window.$crisp=[];window.CRISP_WEBSITE_ID="` + fx.WebsiteID + `";</script>` + "\n",
		"ops/crisp.env":  crispEnv(fx),
	})
	v := &siteValidator{}
	run(t, pipeline.Input{Source: history(t, r.dir), Validator: v})
	if len(v.sites) != 1 || v.sites[0] != fx.WebsiteID {
		t.Errorf("website ids given to the validator: %v, want [%s]", v.sites, fx.WebsiteID)
	}
}

// A history whose only credential-like text is hidden by its content (a
// placeholder an allowlist knows) is not walked to place it: the finding is
// counted, once per blob, without a commit. Asked to place it (--explain), or
// with a reported finding that needs the walk anyway, it is placed.
func TestContentAllowlistedFindingsAreNotPlacedAlone(t *testing.T) {
	fx := fixture(t)
	r := newRepo(t)
	placeholder := "h = {\"Authorization\": \"Basic " + base64.StdEncoding.EncodeToString([]byte("xuser:xpassworX")) + "\"}\n"
	added := r.commit(map[string]string{"docs/setup.md": placeholder})
	r.commit(map[string]string{"README": "hello\n"})
	quiet := zerolog.New(nil).Level(zerolog.InfoLevel)
	suppressedAt := func(in pipeline.Input) string {
		t.Helper()
		in.Detector, in.Log = detect.New(rules.MustDefault()), quiet
		res, err := pipeline.Run(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Suppressed) != 1 || res.Stats.Suppressed["allowlist"] != 1 {
			t.Fatalf("suppressed %+v, stats %v", res.Suppressed, res.Stats.Suppressed)
		}
		return res.Suppressed[0].Commit
	}
	if c := suppressedAt(pipeline.Input{Source: history(t, r.dir)}); c != "" {
		t.Errorf("placed at %s without being asked", c)
	}
	if c := suppressedAt(pipeline.Input{Source: history(t, r.dir), PlaceSuppressed: true}); c != added {
		t.Errorf("asked to place: at %q, want %s", c, added)
	}
	r.commit(map[string]string{"app/.env": crispEnv(fx)})
	if c := suppressedAt(pipeline.Input{Source: history(t, r.dir)}); c != added {
		t.Errorf("with a finding that needs the walk: at %q, want %s", c, added)
	}
}

// A range's blobs are read while its commits are walked, and come without
// their locations: every finding, a hidden one included, is still placed at
// the commit and path that added it (a range places its findings for free).
func TestRangeFindingsArePlacedThoughReadBeforeTheWalkEnds(t *testing.T) {
	fx := fixture(t)
	r := newRepo(t)
	base := r.commit(map[string]string{"README": "hello\n"})
	placeholder := "h = {\"Authorization\": \"Basic " + base64.StdEncoding.EncodeToString([]byte("xuser:xpassworX")) + "\"}\n"
	hidden := r.commit(map[string]string{"docs/setup.md": placeholder})
	real := r.commit(map[string]string{"app/.env": crispEnv(fx)})
	r.git("repack", "-adq")
	repo, err := source.OpenRepo(context.Background(), r.dir, source.Options{Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	scan := func(spec string) *pipeline.Result {
		src, err := repo.Range(context.Background(), spec)
		if err != nil {
			t.Fatal(err)
		}
		return run(t, pipeline.Input{Source: src})
	}
	// alone, and beside a finding that is reported
	for _, head := range []string{hidden, real} {
		res := scan(base + ".." + head)
		if len(res.Suppressed) != 1 || res.Suppressed[0].Commit != hidden || res.Suppressed[0].Path != "docs/setup.md" {
			t.Errorf("..%s: suppressed %+v, want one at docs/setup.md in %s", head, res.Suppressed, hidden)
		}
	}
	res := scan(base + ".." + real)
	if len(res.Findings) == 0 || res.Findings[0].Commit != real || res.Findings[0].Path != "app/.env" {
		t.Errorf("findings %+v, want them at app/.env in %s", res.Findings, real)
	}
}

// A credential that only a delta brings (git stored the file's new version
// as a delta of an old one with no keyword in it) is found: the reader
// proves content keyword-free from what deltas change, and must not wave
// this one through.
func TestCredentialInADeltaOfAKeywordFreeBase(t *testing.T) {
	fx := fixture(t)
	r := newRepo(t)
	var lines []string
	for i := range 400 {
		lines = append(lines, fmt.Sprintf("line %d of the operations handbook: restart the queue worker gently", i))
	}
	old := strings.Join(lines, "\n") + "\n"
	r.commit(map[string]string{"docs/handbook.txt": old})
	added := r.commit(map[string]string{"docs/handbook.txt": strings.Join(lines[:150], "\n") + "\n" +
		crispEnv(fx) + strings.Join(lines[200:], "\n") + "\n"})
	r.git("repack", "-adfq")
	oldID, newID := r.git("rev-parse", added+"~1:docs/handbook.txt"), r.git("rev-parse", added+":docs/handbook.txt")
	if !strings.Contains(r.git("verify-pack", "-v", packIndex(t, r.dir)), newID+" blob") ||
		!regexp.MustCompile(newID+` blob .* 1 `+oldID).MatchString(r.git("verify-pack", "-v", packIndex(t, r.dir))) {
		t.Fatalf("git did not store the new version as a delta of the old one: the test does not test\n%s", r.git("verify-pack", "-v", packIndex(t, r.dir)))
	}
	res := run(t, pipeline.Input{Source: history(t, r.dir)})
	if len(res.Findings) != 1 || res.Findings[0].Commit != added {
		t.Fatalf("findings %+v, want one at %s", res.Findings, added)
	}
}

func packIndex(t *testing.T, dir string) string {
	t.Helper()
	idx, err := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.idx"))
	if err != nil || len(idx) != 1 {
		t.Fatalf("pack indexes %v: %v", idx, err)
	}
	return idx[0]
}
