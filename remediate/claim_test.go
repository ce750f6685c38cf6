package remediate

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/ghapi"
	"github.com/scanner-dev/scanner/remediate/remediatetest"
)

// pairsEnv carries the helper process's credentials, made at run time.
const pairsEnv = "REMEDIATE_TEST_PAIRS"

// runOn remediates the Crisp pairs ("id:key" entries) as one run would: its
// own ledger handle on path, its own client to the stand-in at url.
func runOn(ctx context.Context, url, path string, pairs []string, wait time.Duration) (Results, error) {
	led, err := OpenLedger(path)
	if err != nil {
		return nil, err
	}
	defer led.Close()
	c, err := ghapi.New(ghapi.Options{BaseURL: url, Token: "gh-test-token", Retry: ghapi.Retry{Sleep: noSleep}})
	if err != nil {
		return nil, err
	}
	var fs []finding.Finding
	for i, p := range pairs {
		id, key, _ := strings.Cut(p, ":")
		fs = append(fs, crispFinding(id, key, fmt.Sprintf("config/%d.env", i), "", finding.Live))
	}
	r := New(Options{Ledger: led, GitHub: NewGitHub(c), Backoff: time.Millisecond, ClaimWait: wait, Log: zerolog.Nop()})
	p, err := r.Plan(ctx, Group(fs, "acme/app", finding.Live))
	if err != nil {
		return nil, err
	}
	return r.Apply(ctx, p)
}

// TestHelperProcessRemediates is one remediation run in a process of its
// own, started by TestRunsTogetherOpenOneIssuePerCredential.
func TestHelperProcessRemediates(t *testing.T) {
	if os.Getenv(pairsEnv) == "" {
		t.Skip("the helper process of TestRunsTogetherOpenOneIssuePerCredential")
	}
	res, err := runOn(context.Background(), os.Getenv("REMEDIATE_TEST_GITHUB"), os.Getenv("REMEDIATE_TEST_LEDGER"),
		strings.Split(os.Getenv(pairsEnv), ","), 20*time.Second)
	if err == nil {
		err = res.Err()
	}
	if err != nil {
		t.Fatal(err)
	}
}

func TestRunsTogetherOpenOneIssuePerCredential(t *testing.T) {
	gh := remediatetest.NewGitHub(t, "gh-test-token")
	gh.AddRepo("acme/app")
	gh.SetLatency(2 * time.Millisecond)
	var pairs []string
	for range 4 {
		id, key := crispPair(t)
		pairs = append(pairs, id+":"+key)
	}
	path := filepath.Join(t.TempDir(), "state", "incidents.db")
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 2 { // two processes on the ledger file
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcessRemediates$")
		cmd.Env = append(os.Environ(), pairsEnv+"="+strings.Join(pairs, ","), "REMEDIATE_TEST_GITHUB="+gh.URL, "REMEDIATE_TEST_LEDGER="+path)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if out, err := cmd.CombinedOutput(); err != nil {
				errs <- fmt.Errorf("helper process: %v: %d bytes of output", err, len(out))
			}
		}()
	}
	for range 2 { // and two goroutines, each with its own ledger handle
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := runOn(context.Background(), gh.URL, path, pairs, 20*time.Second)
			if err == nil {
				err = res.Err()
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	oneIssueEach(t, gh, pairs)
}

// oneIssueEach checks that the stand-in holds exactly one issue per
// credential, each carrying its marker once.
func oneIssueEach(t *testing.T, gh *remediatetest.GitHub, pairs []string) {
	t.Helper()
	issues := gh.Issues("acme/app")
	count := map[string]int{}
	for _, is := range issues {
		if m := markerRe().FindStringSubmatch(is.Body); m != nil {
			count[m[1]]++
		}
		for _, p := range pairs {
			id, key, _ := strings.Cut(p, ":")
			noRaw(t, "issue", is.Title+is.Body, id, key)
		}
	}
	for _, p := range pairs {
		id, key, _ := strings.Cut(p, ":")
		fp := crispFinding(id, key, "", "", finding.Live).Fingerprint
		if count[fp] != 1 {
			t.Errorf("credential %s: %d issues, want 1", fp, count[fp])
		}
	}
	if len(issues) != len(pairs) {
		t.Errorf("%d issues for %d credentials", len(issues), len(pairs))
	}
}

// A run that crashed between its claim and the call leaves a claim without
// an issue: a later run waits for it, then takes it over once its lease
// has run out, adopting the issue the crashed run may have opened.
func TestClaimOfACrashedRunIsTakenOverAfterItsLease(t *testing.T) {
	for _, opened := range []bool{false, true} {
		t.Run(fmt.Sprintf("issue opened before the crash: %v", opened), func(t *testing.T) {
			fx := newFixture(t)
			id, key := crispPair(t)
			f := crispFinding(id, key, "a.env", "", finding.Live)
			key0 := f.Fingerprint + "/issue/acme/app"
			if ok, err := fx.led.Claim(context.Background(), key0, f.Fingerprint, "issue", fx.now, 10*time.Minute); !ok || err != nil {
				t.Fatalf("claim: %v %v", ok, err)
			}
			if opened {
				title, body := "Leaked crisp credential", Marker(f.Fingerprint)+"\nfrom the crashed run"
				if _, err := fx.client().CreateIssue(context.Background(), "acme/app", IssueRequest{Title: &title, Body: &body}); err != nil {
					t.Fatal(err)
				}
			}
			fx.now = fx.now.Add(time.Minute) // the lease runs: this run does not create
			res := fx.runWait(t, f, 10*time.Millisecond)
			if n := len(fx.gh.Issues("acme/app")); n != map[bool]int{false: 0, true: 1}[opened] || !strings.Contains(res[0].Detail, "another run") {
				t.Fatalf("inside the lease: %d issues, result %+v", n, res[0])
			}
			fx.now = fx.now.Add(10 * time.Minute)
			fx.runWait(t, f, 10*time.Millisecond)
			fx.runWait(t, f, 10*time.Millisecond)
			oneIssueEach(t, fx.gh, []string{id + ":" + key})
			if rec, _ := fx.led.Step(context.Background(), key0); rec == nil || rec.State != StepDone || rec.IssueNumber != 1 {
				t.Errorf("issue step in the ledger: %+v", rec)
			}
		})
	}
}

func (fx *fixture) runWait(t *testing.T, f finding.Finding, wait time.Duration) Results {
	t.Helper()
	r := fx.remediator(false)
	r.o.ClaimWait = wait
	p, _ := r.Plan(context.Background(), Group([]finding.Finding{f}, "acme/app", finding.Live))
	res, err := r.Apply(context.Background(), p)
	if err == nil {
		err = res.Err()
	}
	if err != nil {
		t.Fatal(err)
	}
	return res
}
