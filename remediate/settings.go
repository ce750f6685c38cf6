package remediate

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/ghapi"
)

// Settings are a run's remediation flags as the user gave them. The rest
// comes from the environment: GITHUB_TOKEN and GITHUB_API_URL (issues,
// review comments), GITHUB_REPOSITORY (see RepoName), KUSTOMER_API_URL.
type Settings struct {
	Enabled    bool   // --remediate: live credentials
	Unknown    bool   // --remediate-unknown: credentials whose validation is unknown too
	ConfigPath string // --remediate-config: the user's hooks, Slack, webhooks ("" none)
	DryRun     bool   // --dry-run: print the plan, change nothing
	Revoke     bool   // --revoke: really call revocation APIs
	LedgerPath string // --ledger ("" DefaultLedger)
	GitHubRepo string // --github-repo: OWNER/NAME issues go to
	// PullRequest is --github-pr: the pull request whose leaking lines get
	// review comments when the run names none (0: none).
	PullRequest int
}

// TreeFiles reads files of the scanned tree (pipeline.Tree does): from the
// base commit in range runs, never through a symlink that leads out.
type TreeFiles interface {
	FS(ctx context.Context, names ...string) (fs.FS, error)
}

// Scope is where a run's findings come from.
type Scope struct {
	Tree        TreeFiles     // whose CODEOWNERS name the owners (nil: none)
	Origin      func() string // the scanned repository's origin remote URL (nil: none)
	PullRequest PullRequest   // set in pull-request runs: review comments
}

// Remediate plans the remediation of the findings and runs the plan: for
// real, or printed on out (DryRun) by an applier that runs nothing. Each
// step's failure is logged; the error names the failed steps.
func (s Settings) Remediate(ctx context.Context, fs []finding.Finding, at Scope, out io.Writer, log zerolog.Logger) error {
	repo := RepoName(s.GitHubRepo, os.Getenv, at.Origin)
	incs := Group(fs, repo, Statuses(s.Unknown)...)
	if len(incs) == 0 && !s.DryRun {
		return nil
	}
	led, err := s.openLedger()
	if err != nil {
		return err
	}
	if led != nil {
		defer led.Close()
	}
	r, err := s.remediator(ctx, at, led, log)
	if err != nil {
		return err
	}
	var dryRun io.Writer
	if s.DryRun {
		dryRun = out
	} else if repo == "" || os.Getenv("GITHUB_TOKEN") == "" {
		log.Warn().Msg("no GitHub issue: set GITHUB_TOKEN and --github-repo (or GITHUB_REPOSITORY, or an origin remote)")
	}
	return r.Run(ctx, incs, dryRun, log)
}

// Recheck re-validates the open incidents among creds, the credentials
// given back (the ledger never stores one): validate fills in each one's
// Validation, then revoked incidents are closed and overdue live ones
// escalated (see Remediator.Recheck). Once rechecked, the counts are
// printed on out.
func (s Settings) Recheck(ctx context.Context, creds []finding.Finding, validate func(context.Context, []finding.Finding) error, out io.Writer, log zerolog.Logger) (RecheckResult, error) {
	path, err := LedgerPath(s.LedgerPath)
	if err != nil {
		return RecheckResult{}, err
	}
	led, err := OpenLedger(path)
	if err != nil {
		return RecheckResult{}, err
	}
	defer led.Close()
	if err := led.PrepareRecheck(ctx, creds); err != nil {
		return RecheckResult{}, err
	}
	if err := validate(ctx, creds); err != nil {
		return RecheckResult{}, err
	}
	r, err := s.remediator(ctx, Scope{}, led, log)
	if err != nil {
		return RecheckResult{}, err
	}
	res, err := r.Recheck(ctx, creds)
	fmt.Fprintf(out, "recheck: %d revoked (closed), %d still live (%d escalated), %d unknown, %d not open in the ledger\n",
		res.Revoked, res.Live, res.Escalated, res.Unknown, res.NotInLedger)
	return res, err
}

// openLedger opens the ledger: read-only for DryRun (nil when there is
// none yet), so that the printed plan leaves out what earlier runs did, as
// Apply would.
func (s Settings) openLedger() (*Ledger, error) {
	path, err := LedgerPath(s.LedgerPath)
	if err != nil {
		return nil, err
	}
	if s.DryRun {
		return OpenLedgerReadOnly(path)
	}
	return OpenLedger(path)
}

// remediator builds the remediator: the user's config, the ledger, GitHub
// (GITHUB_API_URL, GITHUB_TOKEN) and the CODEOWNERS of the scope's tree.
func (s Settings) remediator(ctx context.Context, at Scope, led *Ledger, log zerolog.Logger) (*Remediator, error) {
	cfg := &Config{}
	if s.ConfigPath != "" {
		c, err := LoadConfig(s.ConfigPath)
		if err != nil {
			return nil, err
		}
		cfg = c
	}
	co, err := treeCodeOwners(ctx, at.Tree)
	if err != nil {
		return nil, err
	}
	var gh *GitHub
	if tok := os.Getenv("GITHUB_TOKEN"); tok != "" {
		c, err := ghapi.New(ghapi.Options{BaseURL: os.Getenv("GITHUB_API_URL"), Token: tok, Retry: logWaits(log)})
		if err != nil {
			return nil, fmt.Errorf("GITHUB_API_URL: %w", err)
		}
		gh = NewGitHub(c)
	}
	return New(Options{
		Ledger: led, GitHub: gh, CodeOwners: co, Config: cfg, Revoke: s.Revoke,
		PullRequest: at.PullRequest, KustomerURL: os.Getenv("KUSTOMER_API_URL"), Log: log,
	}), nil
}

// treeCodeOwners reads the tree's CODEOWNERS (none without a tree).
func treeCodeOwners(ctx context.Context, tree TreeFiles) (*CodeOwners, error) {
	if tree == nil {
		return &CodeOwners{}, nil
	}
	fsys, err := tree.FS(ctx, CodeOwnersFiles()...)
	if err != nil {
		return nil, fmt.Errorf("CODEOWNERS: %w", err)
	}
	co, err := LoadCodeOwners(fsys)
	if err != nil {
		return nil, fmt.Errorf("CODEOWNERS: %w", err)
	}
	return co, nil
}

// logWaits is the retry policy of the run's GitHub client: GitHub's waits
// are logged.
func logWaits(log zerolog.Logger) ghapi.Retry {
	return ghapi.Retry{OnWait: func(w ghapi.Wait) {
		log.Warn().Str("limit", string(w.Kind)).Int("status", w.Status).Dur("wait", w.After).Int("attempt", w.Attempt).Msg("GitHub: waiting before retrying")
	}}
}
