package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/ghaction"
)

// TestActionPullRequest runs the action on a pull request's event in a
// shallow checkout of the base branch, as actions/checkout leaves it: the
// action must fetch the head, scan base..head, annotate the one credential
// once, write a redacted summary, the outputs, the reports, and keep one
// pull-request comment that a second run updates.
func TestActionPullRequest(t *testing.T) {
	r := newActionRepo(t)
	ws := r.checkout(t, "main", true)
	gh := newCommentAPI(t, "acme", "app", 7)
	for run := 1; run <= 2; run++ {
		ar := setActionEnv(t, ws, "pull_request", prEvent(7, r.c1, r.c2))
		t.Setenv("GITHUB_API_URL", gh.url)
		t.Setenv("INPUT_GITHUB_TOKEN", gh.token)
		t.Setenv("INPUT_COMMENT", "true")
		res := runCLI(t, "", "action")
		res.wantCode(t, exitFindings)
		checkActionRun(t, r, ar, res, r.c1+".."+r.c2)
		comments := gh.list()
		if len(comments) != 1 || gh.posts != 1 || gh.patches != run-1 {
			t.Fatalf("run %d: %d comments, %d created, %d updated; want 1, 1, %d", run, len(comments), gh.posts, gh.patches, run-1)
		}
		if !strings.HasPrefix(comments[0], ghaction.CommentMarker) || !strings.Contains(comments[0], "1 leaked credential") {
			t.Errorf("run %d: comment lacks the marker or the count:\n%s", run, hide(r.fx, comments[0]))
		}
		noRawValues(t, r.fx, "the comment", comments[0])
	}
}

// checkActionRun checks what one run with one finding in range showed.
func checkActionRun(t *testing.T, r *actionRepo, ar *actionRun, res result, wantRange string) {
	t.Helper()
	out := ar.outputs(t)
	if out["range"] != wantRange || out["findings"] != "1" || out["live"] != "0" {
		t.Errorf("outputs range=%q findings=%q live=%q, want %q, 1, 0", out["range"], out["findings"], out["live"], wantRange)
	}
	rep := readReport(t, ar.read(t, out["json-report"]))
	if len(rep.Findings) != 1 || rep.Findings[0].Commit != r.c2 || rep.Target.Range != wantRange {
		t.Fatalf("JSON report: %d findings, range %q, want 1 at %s in %q", len(rep.Findings), rep.Target.Range, r.c2, wantRange)
	}
	sarif := ar.read(t, out["sarif-report"])
	checkSARIF(t, sarif, 1)
	anns := findingAnnotations(res.stdout)
	if len(anns) != 1 {
		t.Fatalf("%d annotations, want 1:\n%s", len(anns), hide(r.fx, res.stdout))
	}
	f := rep.Findings[0]
	wantProps := "::error file=" + oddNameEscaped + ",line=" + strconv.Itoa(f.Line) + ",col=" + strconv.Itoa(f.Column) + ","
	if !strings.HasPrefix(anns[0], wantProps) || strings.Count(anns[0], "::") != 2 {
		t.Errorf("annotation %q, want it to start with %q and hold only its two '::'", hide(r.fx, anns[0]), wantProps)
	}
	summary := ar.read(t, ar.summary)
	if !strings.Contains(summary, "| --- |") || !strings.Contains(summary, f.Redacted()) {
		t.Errorf("summary has no table with the redacted credential:\n%s", hide(r.fx, summary))
	}
	for where, text := range map[string]string{"stdout": res.stdout, "stderr": res.stderr, "summary": summary,
		"outputs": ar.read(t, ar.output), "SARIF": sarif, "JSON report": ar.read(t, out["json-report"])} {
		noRawValues(t, r.fx, where, text)
	}
}

// TestActionPush scans a push's before..after, and a new branch's commits
// that are not on the default branch.
func TestActionPush(t *testing.T) {
	r := newActionRepo(t)
	for _, c := range []struct {
		name, before, wantBase string
	}{
		{"update", "", ""},
		{"new branch", zeroCommit, "refs/remotes/origin/main"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ws := r.checkout(t, "feature", true)
			before, base := c.before, c.wantBase
			if before == "" {
				before, base = r.c1, r.c1
			}
			ar := setActionEnv(t, ws, "push", pushEvent("refs/heads/feature", before, r.c2))
			res := runCLI(t, "", "action")
			res.wantCode(t, exitFindings)
			checkActionRun(t, r, ar, res, base+".."+r.c2)
		})
	}
}

const zeroCommit = "0000000000000000000000000000000000000000"

// TestActionNothingToScan: an empty range and a deleted branch pass, with
// outputs that say so.
func TestActionNothingToScan(t *testing.T) {
	r := newActionRepo(t)
	for _, c := range []struct {
		name      string
		event     map[string]any
		wantRange string
	}{
		{"empty range", pushEvent("refs/heads/feature", r.c2, r.c2), r.c2 + ".." + r.c2},
		{"deleted branch", map[string]any{"ref": "refs/heads/feature", "before": r.c2, "after": zeroCommit, "deleted": true}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			ws := r.checkout(t, "feature", false)
			ar := setActionEnv(t, ws, "push", c.event)
			res := runCLI(t, "", "action")
			res.wantCode(t, exitClean)
			out := ar.outputs(t)
			if out["findings"] != "0" || out["range"] != c.wantRange || len(findingAnnotations(res.stdout)) != 0 {
				t.Errorf("findings=%q range=%q annotations=%d, want 0, %q, 0", out["findings"], out["range"], len(findingAnnotations(res.stdout)), c.wantRange)
			}
			checkSARIF(t, ar.read(t, out["sarif-report"]), 0)
			if s := ar.read(t, ar.summary); !strings.Contains(s, "no leaked credentials") {
				t.Errorf("summary: %s", s)
			}
		})
	}
}

// TestActionFullHistory: schedule and workflow_dispatch scan every ref,
// after fetching what a shallow checkout lacks.
func TestActionFullHistory(t *testing.T) {
	r := newActionRepo(t)
	for _, name := range []string{"schedule", "workflow_dispatch"} {
		t.Run(name, func(t *testing.T) {
			ws := r.checkout(t, "main", true)
			ar := setActionEnv(t, ws, name, map[string]any{})
			t.Setenv("INPUT_SARIF_FILE", ar.dir+"/out/custom.sarif")
			res := runCLI(t, "", "action")
			res.wantCode(t, exitFindings)
			out := ar.outputs(t)
			if out["findings"] != "1" || out["range"] != "" || out["sarif-report"] != ar.dir+"/out/custom.sarif" {
				t.Errorf("outputs %v", out)
			}
			checkSARIF(t, ar.read(t, out["sarif-report"]), 1)
		})
	}
}

// TestActionBadInput: what the action cannot do fails with exit 2 and a
// clear message, never a half run.
func TestActionBadInput(t *testing.T) {
	r := newActionRepo(t)
	missing := strings.Repeat("ab", 20)
	for _, c := range []struct {
		name, event string
		payload     map[string]any
		env         map[string]string
		want        string
	}{
		{"unfetchable head", "pull_request", prEvent(3, r.c1, missing), nil, "fetch-depth: 0"},
		{"no pull request", "pull_request", map[string]any{}, nil, "pull_request.base.sha"},
		{"bad boolean", "push", pushEvent("refs/heads/feature", r.c1, r.c2), map[string]string{"INPUT_VALIDATE": "yes"}, "input validate"},
		{"bad fail-on", "push", pushEvent("refs/heads/feature", r.c1, r.c2), map[string]string{"INPUT_FAIL_ON": "sometimes"}, "--fail-on"},
		{"unbalanced args", "push", pushEvent("refs/heads/feature", r.c1, r.c2), map[string]string{"INPUT_ARGS": "--config 'x"}, "unterminated quote"},
		{"show secrets", "push", pushEvent("refs/heads/feature", r.c1, r.c2), map[string]string{"INPUT_ARGS": "--show-secrets"}, "--show-secrets"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ws := r.checkout(t, "main", true)
			setActionEnv(t, ws, c.event, c.payload)
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			res := runCLI(t, "", "action")
			res.wantCode(t, exitError)
			oneStderrLine(t, res, c.want)
		})
	}
}

// TestActionValidate: with validate, a live pair is counted live, fails
// the run and is an error annotation; with fail-on live, an invalid one
// passes and is a warning.
func TestActionValidate(t *testing.T) {
	r := newActionRepo(t)
	for _, c := range []struct {
		name      string
		live      bool
		wantCode  int
		wantLive  string
		wantLevel string
	}{
		{"live", true, exitFindings, "1", "::error "},
		{"invalid", false, exitClean, "0", "::warning "},
	} {
		t.Run(c.name, func(t *testing.T) {
			keys := map[string]string{}
			if c.live {
				keys[r.fx.ID] = r.fx.Key
			}
			crisp := newCrispStandIn(t, keys)
			ws := r.checkout(t, "feature", false)
			ar := setActionEnv(t, ws, "push", pushEvent("refs/heads/feature", r.c1, r.c2))
			t.Setenv("INPUT_VALIDATE", "true")
			t.Setenv("INPUT_FAIL_ON", "live")
			t.Setenv("INPUT_ARGS", "--crisp-website-id '"+r.fx.WebsiteID+"' --log-level warn")
			res := runCLI(t, "", "action")
			res.wantCode(t, c.wantCode)
			out := ar.outputs(t)
			anns := findingAnnotations(res.stdout)
			if out["findings"] != "1" || out["live"] != c.wantLive || len(anns) != 1 || !strings.HasPrefix(anns[0], c.wantLevel) {
				t.Errorf("findings=%q live=%q annotations %q; want 1, %s, one %q", out["findings"], out["live"], anns, c.wantLive, c.wantLevel)
			}
			if crisp.count() == 0 {
				t.Error("the provider was never asked")
			}
			noRawValues(t, r.fx, "stdout", res.stdout)
			noRawValues(t, r.fx, "summary", ar.read(t, ar.summary))
		})
	}
}

// TestActionCommentFailureIsAWarning: a token the API refuses (a fork's
// read-only token, say) costs the comment, not the scan's result.
func TestActionCommentFailureIsAWarning(t *testing.T) {
	r := newActionRepo(t)
	gh := newCommentAPI(t, "acme", "app", 7)
	ar := setActionEnv(t, r.checkout(t, "feature", false), "pull_request", prEvent(7, r.c1, r.c2))
	t.Setenv("GITHUB_API_URL", gh.url)
	t.Setenv("INPUT_GITHUB_TOKEN", "not-"+gh.token)
	t.Setenv("INPUT_COMMENT", "true")
	res := runCLI(t, "", "action")
	res.wantCode(t, exitFindings)
	if len(gh.list()) != 0 || !strings.Contains(res.stdout, "::warning title=scanner::pull-request comment not written") {
		t.Errorf("%d comments; stdout:\n%s", len(gh.list()), hide(r.fx, res.stdout))
	}
	if strings.Contains(res.stdout+res.stderr, gh.token) {
		t.Error("the token was printed")
	}
	if ar.outputs(t)["findings"] != "1" {
		t.Error("outputs were not written")
	}
}

// TestActionForcePush: a push whose before the remote no longer has (a
// rewritten branch) is scanned for the commits not on the default branch.
func TestActionForcePush(t *testing.T) {
	r := newActionRepo(t)
	ws := r.checkout(t, "feature", true)
	gone := strings.Repeat("0123456789", 4)
	ar := setActionEnv(t, ws, "push", pushEvent("refs/heads/feature", gone, r.c2))
	res := runCLI(t, "", "action")
	res.wantCode(t, exitFindings)
	checkActionRun(t, r, ar, res, "refs/remotes/origin/main.."+r.c2)
}
