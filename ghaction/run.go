package ghaction

import (
	"context"
	"errors"
	"io"

	"github.com/google/go-github/v62/github"

	"github.com/scanner-dev/scanner/ghapi"
	"github.com/scanner-dev/scanner/report"
)

// Args is what the command line gave the action besides its inputs.
type Args struct {
	Operands    []string // at most one: the repository
	Range       bool     // --range or --staged was given
	ShowSecrets bool     // --show-secrets was given
}

// RepoPath checks a and returns the repository to scan: the operand, else
// the workspace, else ".". The workflow event picks the range, and the
// action never writes raw credentials.
func (e Env) RepoPath(a Args) (string, error) {
	switch {
	case len(a.Operands) > 1:
		return "", errors.New("action takes one repository path")
	case a.Range:
		return "", errors.New("action picks the range from the workflow event: --range and --staged do not apply")
	case a.ShowSecrets:
		return "", errors.New("action never writes raw credentials: --show-secrets does not apply")
	case len(a.Operands) == 1:
		return a.Operands[0], nil
	case e.Workspace != "":
		return e.Workspace, nil
	}
	return ".", nil
}

// Step is a started action step: its environment, the repository it
// scans, the plan, and how to let the runner read workflow commands again.
type Step struct {
	Env
	Path   string
	Plan   Plan
	Resume func() error // call once done
}

// Start checks a (RepoPath), reads the event's plan, stops workflow
// commands on w and makes sure the checkout open returns holds what the
// plan scans (Prepare). From the stop on, logs and the text report hold
// names the repository chose: no line of theirs may be read as a workflow
// command. On an error, Start has already resumed.
func (e Env) Start(ctx context.Context, w io.Writer, a Args, open func(path string) (Fetcher, error)) (*Step, error) {
	path, err := e.RepoPath(a)
	if err != nil {
		return nil, err
	}
	plan, err := e.ReadPlan()
	if err != nil {
		return nil, err
	}
	resume, err := StopCommands(w)
	if err != nil {
		return nil, err
	}
	checkout, err := open(path)
	if err == nil {
		plan, err = Prepare(ctx, checkout, plan)
	}
	if err != nil {
		_ = resume()
		return nil, err
	}
	return &Step{Env: e, Path: path, Plan: plan, Resume: resume}, nil
}

// After is what runs once the report is published, when asked for.
type After struct {
	Remediates bool         // remediation was asked for
	Remediate  func() error // remediates the findings
	Comment    bool         // keep the pull request's comment (pull_request runs only)
}

// Deliver publishes the step's report (Publish) and only then, unless the
// scan was interrupted, remediates and comments (AfterReport): whatever
// fails after the report is out is a warning, never a lost finding.
func (s *Step) Deliver(ctx context.Context, w io.Writer, rep *report.Report, files Files, after After) error {
	e, plan := s.Env, s.Plan
	if err := e.Publish(w, plan, rep, files, s.Resume); err != nil {
		return err
	}
	if rep.Stats.Incomplete {
		return nil
	}
	var remediate, comment func() error
	if after.Remediates {
		remediate = after.Remediate
	}
	if after.Comment && plan.PullRequest > 0 {
		comment = func() error {
			// a failure (a fork's read-only token, say) is a warning: the
			// scan's result stands and is shown the other ways
			return e.PostComment(ctx, func() (*github.Client, error) {
				return ghapi.New(ghapi.Options{BaseURL: e.APIURL, Token: e.Token})
			}, plan, rep)
		}
	}
	e.AfterReport(w, remediate, comment)
	return nil
}
