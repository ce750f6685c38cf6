package ghaction

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/report"
)

func TestRepoPath(t *testing.T) {
	e := Env{Workspace: "/ws"}
	for _, tt := range []struct {
		a       Args
		env     Env
		want    string
		wantErr string
	}{
		{Args{}, e, "/ws", ""},
		{Args{}, Env{}, ".", ""},
		{Args{Operands: []string{"repo"}}, e, "repo", ""},
		{Args{Operands: []string{"a", "b"}}, e, "", "one repository path"},
		{Args{Range: true}, e, "", "--range and --staged"},
		{Args{ShowSecrets: true}, e, "", "--show-secrets"},
	} {
		got, err := tt.env.RepoPath(tt.a)
		if got != tt.want || (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("RepoPath(%+v) = %q, %v; want %q, %q", tt.a, got, err, tt.want, tt.wantErr)
		}
	}
}

// Start stops workflow commands only once the plan is read, and lets the
// runner read them again itself when it fails after that.
func TestStart(t *testing.T) {
	ctx := context.Background()
	e := Env{EventName: "workflow_dispatch", Workspace: "/ws"}
	var out bytes.Buffer
	if _, err := (Env{}).Start(ctx, &out, Args{}, nil); err == nil || out.Len() > 0 {
		t.Fatalf("no event: err %v, wrote %q", err, out.String())
	}
	_, err := e.Start(ctx, &out, Args{}, func(path string) (Fetcher, error) { return nil, errors.New("not a repository: " + path) })
	if err == nil || !strings.Contains(err.Error(), "/ws") || strings.Count(out.String(), "::") != 4 {
		t.Fatalf("open failure: err %v, stdout %q (want stop and resume)", err, out.String())
	}
	out.Reset()
	c := &checkout{have: map[string]bool{}, remote: map[string]bool{allBranches: true}}
	step, err := e.Start(ctx, &out, Args{Operands: []string{"repo"}}, func(string) (Fetcher, error) { return c, nil })
	if err != nil || step.Path != "repo" || !step.Plan.Full || strings.Count(out.String(), "::") != 2 {
		t.Fatalf("step %+v, err %v, stdout %q", step, err, out.String())
	}
}

// Deliver writes the report before remediation runs, and runs nothing
// after an interrupted scan.
func TestDeliverReportsFirst(t *testing.T) {
	dir := t.TempDir()
	s := &Step{Env: Env{Output: filepath.Join(dir, "output"), RunnerTemp: dir}, Plan: Plan{Full: true}, Resume: func() error { return nil }}
	rep := &report.Report{Findings: []finding.Finding{{RuleID: "crisp-token"}}}
	reported := false
	remediate := func() error {
		_, err := os.Stat(filepath.Join(dir, "scanner-report.json"))
		reported = err == nil
		return nil
	}
	var out bytes.Buffer
	if err := s.Deliver(context.Background(), &out, rep, Files{}, After{Remediates: true, Remediate: remediate}); err != nil || !reported {
		t.Fatalf("err %v; the report was written before remediation: %v", err, reported)
	}
	rep.Stats.Incomplete = true
	called := false
	after := After{Remediates: true, Remediate: func() error { called = true; return nil }, Comment: true}
	if err := s.Deliver(context.Background(), &out, rep, Files{}, after); err != nil || called {
		t.Fatalf("interrupted scan: err %v, remediated %v", err, called)
	}
	outputs, _ := os.ReadFile(s.Output)
	if strings.Count(string(outputs), "remediation") != 1 {
		t.Errorf("outputs:\n%s", outputs)
	}
}
