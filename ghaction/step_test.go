package ghaction

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/report"
)

func envOf(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestReadEnvTokenPrefersInput(t *testing.T) {
	e := ReadEnv(envOf(map[string]string{"INPUT_GITHUB_TOKEN": "in", "GITHUB_TOKEN": "env", "RUNNER_TEMP": "/tmp/r"}))
	if e.Token != "in" || e.RunnerTemp != "/tmp/r" {
		t.Errorf("ReadEnv = %+v", e)
	}
	if e := ReadEnv(envOf(map[string]string{"GITHUB_TOKEN": "env"})); e.Token != "env" {
		t.Errorf("token = %q, want the GITHUB_TOKEN fallback", e.Token)
	}
}

func TestReadPlan(t *testing.T) {
	if _, err := (Env{}).ReadPlan(); err == nil || !strings.Contains(err.Error(), "GITHUB_EVENT_NAME") {
		t.Errorf("no event name: err = %v", err)
	}
	path := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(path, []byte(`{"pull_request":{"number":7,"base":{"sha":"`+strings.Repeat("a", 40)+`"},"head":{"sha":"`+strings.Repeat("b", 40)+`"}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Env{EventName: "pull_request", EventPath: path}.ReadPlan()
	if err != nil {
		t.Fatal(err)
	}
	if p.PullRequest != 7 || p.Range() == "" {
		t.Errorf("plan = %+v", p)
	}
	if _, err := (Env{EventName: "push", EventPath: path + ".missing"}).ReadPlan(); err == nil {
		t.Error("a missing event file is an error")
	}
}

func TestInputArgs(t *testing.T) {
	all := func(string) bool { return true }
	tests := []struct {
		name    string
		env     map[string]string
		has     func(string) bool
		want    []string
		wantErr string
	}{
		{"none", nil, all, nil, ""},
		{"remediate implies validate", map[string]string{"INPUT_REMEDIATE": "true"}, all, []string{"--remediate", "--validate"}, ""},
		{"named then args", map[string]string{"INPUT_FAIL_ON": " live ", "INPUT_SARIF_FILE": "o.sarif", "INPUT_ARGS": "--config 'a b'"}, all,
			[]string{"--fail-on", "live", "--sarif-file", "o.sarif", "--config", "a b"}, ""},
		{"bad boolean", map[string]string{"INPUT_VALIDATE": "yes"}, all, nil, "validate"},
		{"missing flag", map[string]string{"INPUT_COMMENT": "true"}, func(string) bool { return false }, nil, "cannot comment"},
		{"unbalanced args", map[string]string{"INPUT_ARGS": "'x"}, all, nil, "quote"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := InputArgs(tt.has, envOf(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("args = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPublishAndFinish(t *testing.T) {
	dir := t.TempDir()
	e := Env{Summary: filepath.Join(dir, "summary.md"), Output: filepath.Join(dir, "output"), RunnerTemp: dir}
	rep := &report.Report{Findings: []finding.Finding{{RuleID: "crisp-token", Location: finding.Location{Path: "a.env", Line: 3}}}}
	var out bytes.Buffer
	resumed := false
	err := e.Publish(&out, Plan{}, rep, Files{SARIF: filepath.Join(dir, "sub", "x.sarif")}, func() error { resumed = true; return nil })
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(dir, "scanner-report.json"), filepath.Join(dir, "sub", "x.sarif"), e.Summary, e.Output} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s not written: %v", p, err)
		}
	}
	if !resumed || !strings.Contains(out.String(), "::") {
		t.Errorf("resumed=%v, stdout:\n%s", resumed, out.String())
	}
	out.Reset()
	e.AfterReport(&out, func() error { return errors.New("boom%\nagain") }, func() error { return nil })
	if !strings.Contains(out.String(), "::warning title=scanner::remediation failed: boom%25 again\n") {
		t.Errorf("warning not escaped: %q", out.String())
	}
	outputs, _ := os.ReadFile(e.Output)
	summary, _ := os.ReadFile(e.Summary)
	if !strings.Contains(string(outputs), "remediation") || !strings.Contains(string(outputs), "failed") || !strings.Contains(string(summary), "boom") {
		t.Errorf("outputs:\n%s\nsummary:\n%s", outputs, summary)
	}
}

func TestAppendToWithoutPathWritesNothing(t *testing.T) {
	called := false
	if err := AppendTo("", func(io.Writer) error { called = true; return nil }); err != nil || called {
		t.Errorf("err=%v called=%v", err, called)
	}
}
