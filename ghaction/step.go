package ghaction

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/google/go-github/v62/github"

	"github.com/scanner-dev/scanner/report"
)

// Env is what the runner tells a step through its environment.
type Env struct {
	EventName, EventPath, Workspace string
	// Summary and Output are the files the runner reads back
	// ($GITHUB_STEP_SUMMARY, $GITHUB_OUTPUT); empty when it did not ask.
	Summary, Output           string
	Repository, APIURL, Token string
	RunnerTemp                string
}

// ReadEnv reads the step's environment through getenv (os.Getenv). The
// token is the action's github-token input, else GITHUB_TOKEN.
func ReadEnv(getenv func(string) string) Env {
	token := getenv("INPUT_GITHUB_TOKEN")
	if token == "" {
		token = getenv("GITHUB_TOKEN")
	}
	return Env{
		EventName: getenv("GITHUB_EVENT_NAME"), EventPath: getenv("GITHUB_EVENT_PATH"),
		Workspace: getenv("GITHUB_WORKSPACE"), Summary: getenv("GITHUB_STEP_SUMMARY"),
		Output: getenv("GITHUB_OUTPUT"), Repository: getenv("GITHUB_REPOSITORY"),
		APIURL: getenv("GITHUB_API_URL"), Token: token, RunnerTemp: getenv("RUNNER_TEMP"),
	}
}

// ReadPlan reads the event the runner names and picks what to scan.
func (e Env) ReadPlan() (Plan, error) {
	if e.EventName == "" {
		return Plan{}, fmt.Errorf("action: GITHUB_EVENT_NAME is not set (run it as a GitHub Action step)")
	}
	var payload []byte
	if e.EventPath != "" {
		b, err := os.ReadFile(e.EventPath)
		if err != nil {
			return Plan{}, fmt.Errorf("read GITHUB_EVENT_PATH: %w", err)
		}
		payload = b
	}
	ev, err := ParseEvent(e.EventName, payload)
	if err != nil {
		return Plan{}, err
	}
	return ev.Plan()
}

// InputArgs turns the action's inputs (INPUT_* variables, which action.yml
// sets from its inputs) into flags, to be placed before the command line's
// own. The args input comes last among them, so its flags win over the
// named inputs. has reports whether the command has a flag: an input
// turning on a flag this build lacks is an error.
func InputArgs(has func(flag string) bool, getenv func(string) string) ([]string, error) {
	input := func(name string) string {
		if v := getenv("INPUT_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))); v != "" {
			return v
		}
		return getenv("INPUT_" + strings.ToUpper(name)) // as the runner names them
	}
	var out []string
	for _, name := range []string{"validate", "remediate", "comment"} {
		on, err := ParseBool(name, input(name), false)
		if err != nil {
			return nil, err
		}
		if on && !has(name) {
			return nil, fmt.Errorf("input %s: this build of the scanner cannot %s", name, name)
		}
		if on {
			out = append(out, "--"+name)
		}
		if on && name == "remediate" {
			out = append(out, "--validate") // remediation acts on validated findings
		}
	}
	if v := strings.TrimSpace(input("fail-on")); v != "" {
		out = append(out, "--fail-on", v)
	}
	if v := input("sarif-file"); v != "" {
		out = append(out, "--sarif-file", v)
	}
	extra, err := SplitArgs(input("args"))
	if err != nil {
		return nil, err
	}
	return append(out, extra...), nil
}

// Files says where the JSON and SARIF reports go: Dir (default
// $RUNNER_TEMP, else the system's temporary directory) and SARIF (default
// Dir/scanner.sarif).
type Files struct{ Dir, SARIF string }

// WriteReports writes the JSON and SARIF reports and returns their paths.
func (e Env) WriteReports(rep *report.Report, files Files) (jsonPath, sarifPath string, err error) {
	dir := files.Dir
	if dir == "" {
		dir = e.RunnerTemp
	}
	if dir == "" {
		dir = os.TempDir()
	}
	jsonPath, sarifPath = filepath.Join(dir, "scanner-report.json"), files.SARIF
	if sarifPath == "" {
		sarifPath = filepath.Join(dir, "scanner.sarif")
	}
	for _, r := range []struct{ path, format string }{{jsonPath, "json"}, {sarifPath, "sarif"}} {
		if err := os.MkdirAll(filepath.Dir(r.path), 0o755); err != nil {
			return "", "", fmt.Errorf("report directory: %w", err)
		}
		err := writeFile(r.path, os.O_TRUNC, func(w io.Writer) error { return report.Write(w, r.format, rep, report.Options{}) })
		if err != nil {
			return "", "", fmt.Errorf("write the %s report: %w", r.format, err)
		}
	}
	return jsonPath, sarifPath, nil
}

// Publish writes the report files and shows the report: as text on w
// (while workflow commands are stopped) and, once resume has let the runner
// read commands again, as annotations on w, the step summary and the step
// outputs.
func (e Env) Publish(w io.Writer, plan Plan, rep *report.Report, files Files, resume func() error) error {
	jsonPath, sarifPath, err := e.WriteReports(rep, files)
	if err != nil {
		return err
	}
	scanned := plan.Describe()
	fmt.Fprintf(w, "Scanned %s\n", scanned)
	if err := report.Write(w, "text", rep, report.Options{}); err != nil {
		return fmt.Errorf("write the text report: %w", err)
	}
	if err := resume(); err != nil {
		return err
	}
	if err := WriteAnnotations(w, rep.Findings); err != nil {
		return fmt.Errorf("write annotations: %w", err)
	}
	if err := AppendTo(e.Summary, func(w io.Writer) error { return WriteSummary(w, rep, scanned) }); err != nil {
		return fmt.Errorf("write the step summary: %w", err)
	}
	outs := []Output{
		{Name: "findings", Value: strconv.Itoa(len(rep.Findings))},
		{Name: "live", Value: strconv.Itoa(CountLive(rep.Findings))},
		{Name: "json-report", Value: jsonPath}, {Name: "sarif-report", Value: sarifPath},
		{Name: "range", Value: plan.Range()},
	}
	if err := AppendTo(e.Output, func(w io.Writer) error { return WriteOutputs(w, outs) }); err != nil {
		return fmt.Errorf("write the step outputs: %w", err)
	}
	return nil
}

// AfterReport runs what comes once the report is published: remediate
// and then comment (each nil when not asked for). Each failure is a
// warning command on w and a line in the step summary, never an error: the
// report is out. The remediation output says ok, failed or skipped.
func (e Env) AfterReport(w io.Writer, remediate, comment func() error) {
	var failures []string
	status := "skipped"
	if remediate != nil {
		status = "ok"
		if err := remediate(); err != nil {
			status = "failed"
			failures = append(failures, "remediation failed: "+oneLine(err.Error()))
		}
	}
	if comment != nil {
		if err := comment(); err != nil {
			failures = append(failures, "pull-request comment not written: "+oneLine(err.Error()))
		}
	}
	for _, f := range failures {
		fmt.Fprintf(w, "::warning title=scanner::%s\n", EscapeData(f))
	}
	if len(failures) > 0 {
		_ = AppendTo(e.Summary, func(w io.Writer) error { return WriteWarnings(w, failures) })
	}
	_ = AppendTo(e.Output, func(w io.Writer) error {
		return WriteOutputs(w, []Output{{Name: "remediation", Value: status}})
	})
}

// oneLine keeps an error message on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// PostComment keeps the pull request's scanner comment up to date, with a
// client newClient builds for the repository the runner names.
func (e Env) PostComment(ctx context.Context, newClient func() (*github.Client, error), plan Plan, rep *report.Report) error {
	owner, repo, err := ParseRepository(e.Repository)
	if err != nil {
		return fmt.Errorf("GITHUB_REPOSITORY: %w", err)
	}
	client, err := newClient()
	if err != nil {
		return err
	}
	c := Comment{Client: client, Owner: owner, Repo: repo, Number: plan.PullRequest}
	_, _, err = c.Upsert(ctx, Markdown(rep, plan.Describe()), len(rep.Findings) > 0)
	return err
}

// AppendTo appends to a file the runner reads (summary, outputs); no path
// means the runner did not ask for it.
func AppendTo(path string, write func(io.Writer) error) error {
	if path == "" {
		return nil
	}
	return writeFile(path, os.O_APPEND, write)
}

func writeFile(path string, mode int, write func(io.Writer) error) error {
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
