package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/ghaction"
	"github.com/scanner-dev/scanner/ghapi"
	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/remediate"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/source"
)

// actionOptions are the flags of "scanner action", the GitHub Action's
// entry point. The action's inputs arrive as INPUT_* variables and are
// turned into the same flags (see inputArgs).
type actionOptions struct {
	gitOptions
	outputDir string
	sarifFile string
	comment   bool
}

func (o *actionOptions) bindAction(fs *flag.FlagSet) {
	o.bindGit(fs)
	fs.StringVar(&o.outputDir, "output-dir", "", "directory for the JSON and SARIF reports (default: $RUNNER_TEMP)")
	fs.StringVar(&o.sarifFile, "sarif-file", "", "where to write the SARIF report (default: OUTPUT-DIR/scanner.sarif)")
	fs.BoolVar(&o.comment, "comment", false, "in pull_request runs, keep one pull-request comment with the findings")
}

// actionEnv is what the runner tells the step.
type actionEnv struct {
	eventName, eventPath, workspace string
	summary, output                 string
	repository, apiURL, token       string
}

func readActionEnv() actionEnv {
	token := os.Getenv("INPUT_GITHUB_TOKEN")
	if token == "" {
		token = os.Getenv("GITHUB_TOKEN")
	}
	return actionEnv{
		eventName: os.Getenv("GITHUB_EVENT_NAME"), eventPath: os.Getenv("GITHUB_EVENT_PATH"),
		workspace: os.Getenv("GITHUB_WORKSPACE"), summary: os.Getenv("GITHUB_STEP_SUMMARY"),
		output: os.Getenv("GITHUB_OUTPUT"), repository: os.Getenv("GITHUB_REPOSITORY"),
		apiURL: os.Getenv("GITHUB_API_URL"), token: token,
	}
}

// runAction scans what the workflow event names (a pull request's commits,
// a push, or the whole history), then reports it the ways a workflow shows:
// annotations, step summary, outputs, JSON and SARIF files and, when asked,
// one pull-request comment.
func runAction(ctx context.Context, args []string, e env) (int, error) {
	var o actionOptions
	fs := newFlagSet("action", "[PATH]", e)
	o.bindAction(fs)
	in, err := inputArgs(fs, os.Getenv)
	if err != nil {
		return exitError, err
	}
	pos, err := parseArgs(fs, append(in, args...))
	if err != nil {
		return exitError, err
	}
	ae := readActionEnv()
	path, err := o.checkAction(pos, ae)
	if err != nil {
		return exitError, err
	}
	plan, err := actionPlan(ae)
	if err != nil {
		return exitError, err
	}
	// from here on, logs and the text report hold names the repository
	// chose: no line of theirs may be read as a workflow command
	resume, err := ghaction.StopCommands(e.stdout)
	if err != nil {
		return exitError, err
	}
	defer resume()
	repo, err := source.OpenRepo(ctx, path, source.Options{Log: zerolog.Nop()})
	if err != nil {
		return exitError, err
	}
	if plan, err = ghaction.Prepare(ctx, repo, plan); err != nil {
		return exitError, err
	}
	job, res, err := o.scanPlan(ctx, path, plan, e)
	if err != nil {
		return exitError, err
	}
	rep := newReport(job.target, res)
	code := o.validate.exitCode(res.Findings)
	if res.Stats.Incomplete {
		code = exitInterrupted
	}
	// report first: whatever fails after this is a warning, never a lost finding
	if err := o.publish(ae, plan, rep, e, resume); err != nil {
		return exitError, err
	}
	if !res.Stats.Incomplete {
		o.afterReport(ctx, ae, plan, job, rep, e)
	}
	return code, nil
}

// checkAction checks the operands and returns the repository path.
func (o *actionOptions) checkAction(pos []string, ae actionEnv) (string, error) {
	switch {
	case len(pos) > 1:
		return "", usageError{"action takes one repository path"}
	case o.rangeSpec != "" || o.staged:
		return "", usageError{"action picks the range from the workflow event: --range and --staged do not apply"}
	case o.showSecrets:
		return "", usageError{"action never writes raw credentials: --show-secrets does not apply"}
	case len(pos) == 1:
		return pos[0], nil
	case ae.workspace != "":
		return ae.workspace, nil
	}
	return ".", nil
}

// actionPlan reads the event and picks what to scan.
func actionPlan(ae actionEnv) (ghaction.Plan, error) {
	if ae.eventName == "" {
		return ghaction.Plan{}, usageError{"action: GITHUB_EVENT_NAME is not set (run it as a GitHub Action step)"}
	}
	var payload []byte
	if ae.eventPath != "" {
		b, err := os.ReadFile(ae.eventPath)
		if err != nil {
			return ghaction.Plan{}, fmt.Errorf("read GITHUB_EVENT_PATH: %w", err)
		}
		payload = b
	}
	ev, err := ghaction.ParseEvent(ae.eventName, payload)
	if err != nil {
		return ghaction.Plan{}, err
	}
	return ev.Plan()
}

// scanPlan scans what the plan names and returns the job and its result.
func (o *actionOptions) scanPlan(ctx context.Context, path string, plan ghaction.Plan, e env) (scanJob, *pipeline.Result, error) {
	if plan.Empty {
		log, _, err := o.prepare(e.stderr)
		job := scanJob{target: report.Target{Kind: "git", Path: path}, log: log}
		return job, &pipeline.Result{}, err
	}
	sel := selection{kind: "history"}
	if r := plan.Range(); r != "" {
		sel = selection{kind: "range", rangeSpec: r}
	}
	job, err := o.gitJob(ctx, path, sel, e)
	if err != nil {
		return job, nil, err
	}
	job.pr = remediate.PullRequest{Number: plan.PullRequest, Head: plan.Head} // review comments in pull_request runs
	res, _, err := o.scan(ctx, job)
	if err != nil {
		return job, nil, err
	}
	job.log.Info().Str("scanned", plan.Describe()).Int("findings", len(res.Findings)).Msg("action scan done")
	return job, res, nil
}

// inputArgs turns the action's inputs (INPUT_* variables, which action.yml
// sets from its inputs) into flags, placed before the command line's own.
// The args input comes last among them, so its flags win over the named
// inputs.
func inputArgs(fs *flag.FlagSet, getenv func(string) string) ([]string, error) {
	input := func(name string) string {
		if v := getenv("INPUT_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))); v != "" {
			return v
		}
		return getenv("INPUT_" + strings.ToUpper(name)) // as the runner names them
	}
	var out []string
	for _, b := range []struct{ input, flag string }{{"validate", "validate"}, {"remediate", "remediate"}, {"comment", "comment"}} {
		on, err := ghaction.ParseBool(b.input, input(b.input), false)
		if err != nil {
			return nil, usageError{err.Error()}
		}
		if on && fs.Lookup(b.flag) == nil {
			return nil, usageError{fmt.Sprintf("input %s: this build of the scanner cannot %s", b.input, b.input)}
		}
		if on {
			out = append(out, "--"+b.flag)
		}
		if on && b.input == "remediate" {
			out = append(out, "--validate") // remediation acts on validated findings
		}
	}
	if v := strings.TrimSpace(input("fail-on")); v != "" {
		out = append(out, "--fail-on", v)
	}
	if v := input("sarif-file"); v != "" {
		out = append(out, "--sarif-file", v)
	}
	extra, err := ghaction.SplitArgs(input("args"))
	if err != nil {
		return nil, usageError{err.Error()}
	}
	return append(out, extra...), nil
}

// publish writes the reports and shows them: a text report (while
// commands are stopped) and, once resume has let the runner read commands
// again, annotations on stdout, the step summary, the step outputs and the
// comment.
func (o *actionOptions) publish(ae actionEnv, plan ghaction.Plan, rep *report.Report, e env, resume func() error) error {
	jsonPath, sarifPath, err := o.writeReports(rep)
	if err != nil {
		return err
	}
	scanned := plan.Describe()
	fmt.Fprintf(e.stdout, "Scanned %s\n", scanned)
	if err := report.Write(e.stdout, "text", rep, report.Options{}); err != nil {
		return fmt.Errorf("write the text report: %w", err)
	}
	if err := resume(); err != nil {
		return err
	}
	if err := ghaction.WriteAnnotations(e.stdout, rep.Findings); err != nil {
		return fmt.Errorf("write annotations: %w", err)
	}
	if err := appendTo(ae.summary, func(w io.Writer) error { return ghaction.WriteSummary(w, rep, scanned) }); err != nil {
		return fmt.Errorf("write the step summary: %w", err)
	}
	outs := []ghaction.Output{
		{Name: "findings", Value: strconv.Itoa(len(rep.Findings))},
		{Name: "live", Value: strconv.Itoa(ghaction.CountLive(rep.Findings))},
		{Name: "json-report", Value: jsonPath}, {Name: "sarif-report", Value: sarifPath},
		{Name: "range", Value: plan.Range()},
	}
	if err := appendTo(ae.output, func(w io.Writer) error { return ghaction.WriteOutputs(w, outs) }); err != nil {
		return fmt.Errorf("write the step outputs: %w", err)
	}
	return nil
}

// afterReport remediates and comments once the findings are reported. Each
// failure is a warning in the log and the step summary, and the
// remediation output says whether remediation ran, failed or was skipped.
func (o *actionOptions) afterReport(ctx context.Context, ae actionEnv, plan ghaction.Plan, job scanJob, rep *report.Report, e env) {
	var failures []string
	status := "skipped"
	if o.remediate.enabled || o.remediate.unknown {
		status = "ok"
		if err := o.remediate.run(ctx, job, rep.Findings); err != nil {
			status = "failed"
			failures = append(failures, "remediation failed: "+oneLine(err.Error()))
		}
	}
	if o.comment && plan.PullRequest > 0 {
		if err := o.postComment(ctx, ae, plan, rep); err != nil {
			failures = append(failures, "pull-request comment not written: "+oneLine(err.Error()))
		}
	}
	for _, f := range failures {
		fmt.Fprintf(e.stdout, "::warning title=scanner::%s\n", ghaction.EscapeData(f))
	}
	if len(failures) > 0 {
		_ = appendTo(ae.summary, func(w io.Writer) error { return ghaction.WriteWarnings(w, failures) })
	}
	_ = appendTo(ae.output, func(w io.Writer) error {
		return ghaction.WriteOutputs(w, []ghaction.Output{{Name: "remediation", Value: status}})
	})
}

// writeReports writes the JSON and SARIF reports and returns their paths.
func (o *actionOptions) writeReports(rep *report.Report) (string, string, error) {
	dir := o.outputDir
	if dir == "" {
		dir = os.Getenv("RUNNER_TEMP")
	}
	if dir == "" {
		dir = os.TempDir()
	}
	jsonPath := filepath.Join(dir, "scanner-report.json")
	sarifPath := o.sarifFile
	if sarifPath == "" {
		sarifPath = filepath.Join(dir, "scanner.sarif")
	}
	for _, r := range []struct{ path, format string }{{jsonPath, "json"}, {sarifPath, "sarif"}} {
		if err := os.MkdirAll(filepath.Dir(r.path), 0o755); err != nil {
			return "", "", fmt.Errorf("report directory: %w", err)
		}
		err := writeFileWith(r.path, os.O_TRUNC, func(w io.Writer) error { return report.Write(w, r.format, rep, report.Options{}) })
		if err != nil {
			return "", "", fmt.Errorf("write the %s report: %w", r.format, err)
		}
	}
	return jsonPath, sarifPath, nil
}

// postComment keeps the pull request's scanner comment up to date. A
// failure (a fork's read-only token, say) is the caller's warning: the
// scan's result stands and is shown the other ways.
func (o *actionOptions) postComment(ctx context.Context, ae actionEnv, plan ghaction.Plan, rep *report.Report) error {
	owner, repo, err := ghaction.ParseRepository(ae.repository)
	if err != nil {
		return fmt.Errorf("GITHUB_REPOSITORY: %w", err)
	}
	client, err := ghapi.New(ghapi.Options{BaseURL: ae.apiURL, Token: ae.token})
	if err != nil {
		return err
	}
	c := ghaction.Comment{Client: client, Owner: owner, Repo: repo, Number: plan.PullRequest}
	_, _, err = c.Upsert(ctx, ghaction.Markdown(rep, plan.Describe()), len(rep.Findings) > 0)
	return err
}

// appendTo appends to a file the runner reads (summary, outputs); no path
// means the runner did not ask for it.
func appendTo(path string, write func(io.Writer) error) error {
	if path == "" {
		return nil
	}
	return writeFileWith(path, os.O_APPEND, write)
}

func writeFileWith(path string, mode int, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|mode, 0o644)
	if err != nil {
		return err
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
