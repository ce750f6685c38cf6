package remediate

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/remediate/remediatetest"
)

// mapTree is a scanned tree whose files are a map.
type mapTree fstest.MapFS

func (m mapTree) FS(context.Context, ...string) (fs.FS, error) { return fstest.MapFS(m), nil }

// Settings wire the run from the flags and the environment: the issue goes
// to the origin's repository, assigned to the tree's CODEOWNERS, and a
// recheck that finds the credential revoked closes it.
func TestSettingsRemediateThenRecheck(t *testing.T) {
	gh := remediatetest.NewGitHub(t, "gh-test-token")
	gh.AddRepo("acme/app", "bo-ops")
	t.Setenv("GITHUB_TOKEN", "gh-test-token")
	t.Setenv("GITHUB_API_URL", gh.URL)
	t.Setenv("GITHUB_REPOSITORY", "")
	s := Settings{LedgerPath: filepath.Join(t.TempDir(), "incidents.db")}
	id, key := crispPair(t)
	f := crispFinding(id, key, "config/crisp.env", "", finding.Live)
	at := Scope{
		Tree:   mapTree{".github/CODEOWNERS": {Data: []byte("* @bo-ops\n")}},
		Origin: func() string { return "git@github.com:acme/app.git" },
	}
	if err := s.Remediate(context.Background(), []finding.Finding{f}, at, nil, zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	issues := gh.Issues("acme/app")
	if len(issues) != 1 || strings.Join(issues[0].Assignees, ",") != "bo-ops" {
		t.Fatalf("issues %+v, want one assigned to the code owner", issues)
	}
	var out bytes.Buffer
	revoked := func(_ context.Context, fs []finding.Finding) error {
		for i := range fs {
			fs[i].Validation = &finding.Validation{Status: finding.Invalid}
		}
		return nil
	}
	res, err := s.Recheck(context.Background(), []finding.Finding{f}, revoked, &out, zerolog.Nop())
	if err != nil || res.Revoked != 1 || !strings.HasPrefix(out.String(), "recheck: 1 revoked") {
		t.Fatalf("recheck %+v, %v, printed %q", res, err, out.String())
	}
	if is := gh.Issues("acme/app")[0]; is.State != "closed" {
		t.Errorf("issue %s after the recheck", is.State)
	}
	noRaw(t, "recheck output", out.String(), id, key)
}

// A dry run prints the plan, writes no ledger and asks nothing of GitHub;
// nothing to remediate opens no ledger at all.
func TestSettingsDryRunChangesNothing(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "")
	dir := t.TempDir()
	s := Settings{LedgerPath: filepath.Join(dir, "incidents.db"), DryRun: true, GitHubRepo: "acme/app"}
	id, key := crispPair(t)
	var out bytes.Buffer
	if err := s.Remediate(context.Background(), []finding.Finding{crispFinding(id, key, "a.env", "", finding.Live)}, Scope{}, &out, zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	if out.Len() == 0 {
		t.Error("no plan printed")
	}
	noRaw(t, "plan", out.String(), id, key)
	s.DryRun = false
	if err := s.Remediate(context.Background(), nil, Scope{}, &out, zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.LedgerPath); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ledger written: %v", err)
	}
}

// A recheck stops before validating when a credential lacks its raw value.
func TestSettingsRecheckNeedsRawValues(t *testing.T) {
	s := Settings{LedgerPath: filepath.Join(t.TempDir(), "incidents.db")}
	called := false
	validate := func(context.Context, []finding.Finding) error { called = true; return nil }
	var out bytes.Buffer
	_, err := s.Recheck(context.Background(), []finding.Finding{{RuleID: "crisp-token"}}, validate, &out, zerolog.Nop())
	if !errors.Is(err, ErrNoRawCredential) || called || out.Len() != 0 {
		t.Errorf("err %v, validated %v, printed %q", err, called, out.String())
	}
}
