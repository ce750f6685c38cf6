package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/cliflag"
	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/ghapi"
	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/remediate"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/source"
)

// remediateOptions are the flags that turn on remediation of live findings.
type remediateOptions struct {
	enabled    bool
	unknown    bool
	configPath string
	dryRun     bool
	revoke     bool
	ledgerPath string
	githubRepo string
	githubPR   int // pull request whose lines get review comments
}

func (o *remediateOptions) bind(fs *flag.FlagSet) {
	fs.BoolVar(&o.enabled, "remediate", false, "remediate live credentials: rotation hooks, owner alerts, incident ledger (needs --validate)")
	fs.BoolVar(&o.unknown, "remediate-unknown", false, "remediate credentials whose validation is unknown too")
	fs.StringVar(&o.configPath, "remediate-config", "", "your remediation config (TOML: hooks, Slack, webhooks, escalate_after); never read from the scanned repository")
	fs.BoolVar(&o.dryRun, "dry-run", false, "print what would be rotated and who would be alerted, and change nothing")
	fs.BoolVar(&o.revoke, "revoke", false, "really call revocation APIs (Kustomer DELETE /v1/auth/tokens/current); otherwise only planned")
	fs.StringVar(&o.ledgerPath, "ledger", "", "incident ledger (SQLite file; default: incidents.db in the state directory, see README)")
	fs.StringVar(&o.githubRepo, "github-repo", "", "OWNER/NAME for issues (default: GITHUB_REPOSITORY, else the origin remote)")
	fs.IntVar(&o.githubPR, "github-pr", 0, "pull request `NUMBER`: also put a review comment on each leaking line in it")
}

// checkFlags refuses remediation flags that cannot work, before anything is
// scanned. withValidate says the scan validates.
func (o *remediateOptions) checkFlags(withValidate bool) error {
	if (o.enabled || o.unknown) && !withValidate {
		return usageError{"--remediate acts on validated findings: add --validate"}
	}
	if o.githubPR < 0 {
		return usageError{fmt.Sprintf("--github-pr %d: want a pull request number", o.githubPR)}
	}
	return nil
}

// run remediates the findings of a finished scan when asked. Owners come
// from the CODEOWNERS of the job's tree (the base commit in range runs).
func (o *remediateOptions) run(ctx context.Context, job scanJob, fs []finding.Finding) error {
	if !o.enabled && !o.unknown {
		return nil
	}
	for _, f := range fs {
		if f.Validation == nil {
			return usageError{"--remediate acts on validated findings: add --validate"}
		}
	}
	pr := job.pr
	if pr.Number == 0 {
		pr.Number = o.githubPR
	}
	return o.apply(ctx, job.tree, pr, fs, job.stderr, job.log) // --dry-run prints the plan on stderr
}

// apply plans remediation of the findings and runs the plan: for real, or
// printed (--dry-run) by an applier that runs nothing. Each step's failure
// is logged; the error names the failed steps.
func (o *remediateOptions) apply(ctx context.Context, tree pipeline.Tree, pr remediate.PullRequest, fs []finding.Finding, out io.Writer, log zerolog.Logger) error {
	repo := o.repository(ctx, tree.Root)
	incs := remediate.Group(fs, repo, remediate.Statuses(o.unknown)...)
	if len(incs) == 0 && !o.dryRun {
		return nil
	}
	led, err := o.openLedger()
	if err != nil {
		return err
	}
	if led != nil {
		defer led.Close()
	}
	r, err := o.remediator(ctx, tree, pr, led, log)
	if err != nil {
		return err
	}
	var dryRun io.Writer
	if o.dryRun {
		dryRun = out
	} else if repo == "" || os.Getenv("GITHUB_TOKEN") == "" {
		log.Warn().Msg("no GitHub issue: set GITHUB_TOKEN and --github-repo (or GITHUB_REPOSITORY, or an origin remote)")
	}
	return r.Run(ctx, incs, dryRun, log)
}

// openLedger opens the ledger: read-only for --dry-run (nil when there is
// none yet), so that the printed plan leaves out what earlier runs did, as
// Apply would.
func (o *remediateOptions) openLedger() (*remediate.Ledger, error) {
	path, err := remediate.LedgerPath(o.ledgerPath)
	if err != nil {
		return nil, err
	}
	if o.dryRun {
		return remediate.OpenLedgerReadOnly(path)
	}
	return remediate.OpenLedger(path)
}

// remediator builds the remediator: the user's config, the ledger, GitHub
// (GITHUB_API_URL, GITHUB_TOKEN) and the CODEOWNERS of the tree at dir.
func (o *remediateOptions) remediator(ctx context.Context, tree pipeline.Tree, pr remediate.PullRequest, led *remediate.Ledger, log zerolog.Logger) (*remediate.Remediator, error) {
	cfg := &remediate.Config{}
	if o.configPath != "" {
		c, err := remediate.LoadConfig(o.configPath)
		if err != nil {
			return nil, err
		}
		cfg = c
	}
	co, err := codeOwners(ctx, tree)
	if err != nil {
		return nil, err
	}
	var gh *remediate.GitHub
	if tok := os.Getenv("GITHUB_TOKEN"); tok != "" {
		c, err := ghapi.New(ghapi.Options{BaseURL: os.Getenv("GITHUB_API_URL"), Token: tok, Retry: ghRetry(log)})
		if err != nil {
			return nil, usageError{"GITHUB_API_URL: " + err.Error()}
		}
		gh = remediate.NewGitHub(c)
	}
	return remediate.New(remediate.Options{
		Ledger: led, GitHub: gh, CodeOwners: co, Config: cfg, Revoke: o.revoke,
		PullRequest: pr,
		KustomerURL: os.Getenv("KUSTOMER_API_URL"), Log: log,
	}), nil
}

// repository is the OWNER/NAME issues go to: --github-repo, else
// GITHUB_REPOSITORY, else the origin remote of the repository at dir.
func (o *remediateOptions) repository(ctx context.Context, dir string) string {
	return remediate.RepoName(o.githubRepo, os.Getenv, func() string {
		if dir == "" {
			return ""
		}
		repo, err := source.OpenRepo(ctx, dir, source.Options{Log: zerolog.Nop()})
		if err != nil {
			return ""
		}
		return repo.OriginURL(ctx)
	})
}

// gitTopLevel is the work tree root holding dir, or dir itself.
func gitTopLevel(ctx context.Context, dir string) string {
	repo, err := source.OpenRepo(ctx, dir, source.Options{Log: zerolog.Nop()})
	if err != nil {
		return dir
	}
	if root := repo.Root(ctx); root != "" {
		return root
	}
	return dir
}

// runRemediate remediates from a JSON report (a file or stdin), or with
// --recheck re-validates the ledger's open incidents.
func runRemediate(ctx context.Context, args []string, e env) (int, error) {
	var o scanOptions
	var recheck bool
	var repoDir string
	fs := cliflag.New("remediate", "[REPORT.json] (default: stdin)", e.stdout)
	o.bind(fs)
	fs.BoolVar(&recheck, "recheck", false, "re-validate open incidents from a --show-secrets report or credential lines; close revoked ones, escalate overdue ones")
	fs.StringVar(&repoDir, "repo", "", "the repository's work tree, for CODEOWNERS and the origin remote (default: the report's target)")
	pos, err := cliflag.Parse(fs, args)
	if err != nil {
		return exitError, err
	}
	if len(pos) > 1 {
		return exitError, usageError{"remediate takes at most one report file"}
	}
	log, _, err := o.prepare(e.stderr)
	if err != nil {
		return exitError, err
	}
	in, closeIn, err := openInput(pos, e.stdin)
	if err != nil {
		return exitError, err
	}
	defer closeIn()
	if recheck {
		return runRecheck(ctx, &o, in, e, log)
	}
	rep, err := report.ReadJSON(in)
	if err != nil {
		return exitError, err
	}
	if repoDir == "" && (rep.Target.Kind == "git" || rep.Target.Kind == "dir") {
		repoDir = rep.Target.Path
	}
	tree := pipeline.Tree{Log: log}
	if repoDir != "" {
		tree.Root = gitTopLevel(ctx, repoDir)
	}
	pr := remediate.PullRequest{Number: o.remediate.githubPR}
	if err := o.remediate.apply(ctx, tree, pr, rep.Findings, e.stdout, log); err != nil {
		return exitError, err
	}
	return exitClean, nil
}

func openInput(pos []string, stdin io.Reader) (io.Reader, func(), error) {
	if len(pos) == 0 || pos[0] == "-" {
		return stdin, func() {}, nil
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return nil, nil, fmt.Errorf("report: %w", err)
	}
	return f, func() { f.Close() }, nil
}

// runRecheck re-validates the open incidents among the credentials read
// from in. The ledger never stores a raw credential, so the caller gives
// them back: a JSON report made with --show-secrets, or credential lines.
func runRecheck(ctx context.Context, o *scanOptions, in io.Reader, e env, log zerolog.Logger) (int, error) {
	l, err := o.load(ctx, pipeline.Tree{Log: log})
	if err != nil {
		return exitError, err
	}
	creds, err := pipeline.ReadCredentials(in, l.Detector, log)
	if err != nil {
		return exitError, err
	}
	path, err := remediate.LedgerPath(o.remediate.ledgerPath)
	if err != nil {
		return exitError, err
	}
	led, err := remediate.OpenLedger(path)
	if err != nil {
		return exitError, err
	}
	defer led.Close()
	if err := led.PrepareRecheck(ctx, creds); err != nil {
		return exitError, err
	}
	if err := o.validate.check(ctx, l.Rules, creds, nil, log); err != nil {
		return exitError, err
	}
	r, err := o.remediate.remediator(ctx, pipeline.Tree{Log: log}, remediate.PullRequest{}, led, log)
	if err != nil {
		return exitError, err
	}
	res, err := r.Recheck(ctx, creds)
	fmt.Fprintf(e.stdout, "recheck: %d revoked (closed), %d still live (%d escalated), %d unknown, %d not open in the ledger\n",
		res.Revoked, res.Live, res.Escalated, res.Unknown, res.NotInLedger)
	if err != nil {
		return exitError, err
	}
	if res.Live+res.Unknown > 0 {
		return exitFindings, nil
	}
	return exitClean, nil
}

// runIncidents lists the incidents of the ledger.
func runIncidents(ctx context.Context, args []string, e env) (int, error) {
	var ledger, format, status string
	fs := cliflag.New("incidents", "", e.stdout)
	fs.StringVar(&ledger, "ledger", "", "incident ledger (SQLite file; default: incidents.db in the state directory)")
	fs.StringVar(&format, "format", "text", "output format: text or json")
	fs.StringVar(&status, "status", "all", "which incidents: open, revoked or all")
	pos, err := cliflag.Parse(fs, args)
	if err != nil {
		return exitError, err
	}
	if len(pos) > 0 {
		return exitError, usageError{"incidents takes no arguments"}
	}
	if format != "text" && format != "json" {
		return exitError, usageError{fmt.Sprintf("unknown --format %q (want text or json)", format)}
	}
	if ledger, err = remediate.LedgerPath(ledger); err != nil {
		return exitError, err
	}
	recs, err := remediate.ListIncidents(ctx, ledger, status)
	if err != nil {
		return exitError, err
	}
	if format == "json" && recs != nil { // no ledger yet: no incidents, as text
		return exitClean, remediate.WriteIncidentsJSON(e.stdout, recs)
	}
	remediate.WriteIncidents(e.stdout, recs)
	return exitClean, nil
}

// codeOwners reads the tree's CODEOWNERS: from the base commit in range
// runs (a pull request cannot reroute the alert), never through a symlink
// that leads out of the tree.
func codeOwners(ctx context.Context, tree pipeline.Tree) (*remediate.CodeOwners, error) {
	fsys, err := tree.FS(ctx, remediate.CodeOwnersFiles()...)
	if err != nil {
		return nil, fmt.Errorf("CODEOWNERS: %w", err)
	}
	co, err := remediate.LoadCodeOwners(fsys)
	if err != nil {
		return nil, fmt.Errorf("CODEOWNERS: %w", err)
	}
	return co, nil
}

// ghRetry is the retry policy of the run's GitHub clients: GitHub's waits
// are logged.
func ghRetry(log zerolog.Logger) ghapi.Retry {
	return ghapi.Retry{OnWait: func(w ghapi.Wait) {
		log.Warn().Str("limit", string(w.Kind)).Int("status", w.Status).Dur("wait", w.After).Int("attempt", w.Attempt).Msg("GitHub: waiting before retrying")
	}}
}
