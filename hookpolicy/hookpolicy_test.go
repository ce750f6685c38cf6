package hookpolicy

import (
	"bytes"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/finding"
)

func TestPushOptionsAndPusher(t *testing.T) {
	envOf := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	tests := []struct {
		name string
		env  func(string) string
		want bool
	}{
		{"none", envOf(), false},
		{"set", envOf("GIT_PUSH_OPTION_COUNT", "2", "GIT_PUSH_OPTION_0", "ci.skip", "GIT_PUSH_OPTION_1", "scanner.skip"), true},
		{"beyond the count", envOf("GIT_PUSH_OPTION_COUNT", "1", "GIT_PUSH_OPTION_1", "scanner.skip"), false},
		{"another value", envOf("GIT_PUSH_OPTION_COUNT", "1", "GIT_PUSH_OPTION_0", "scanner.skip=false"), false},
		{"bad count", envOf("GIT_PUSH_OPTION_COUNT", "x", "GIT_PUSH_OPTION_0", "scanner.skip"), false},
	}
	for _, tt := range tests {
		if got := PushOptionSet(tt.env, SkipOption); got != tt.want {
			t.Errorf("%s: got %v", tt.name, got)
		}
	}
	if got := Pusher(envOf("GITEA_PUSHER_NAME", "ada", "USER", "git")); got != "ada" {
		t.Errorf("pusher %q", got)
	}
	if got := Pusher(envOf()); got != "unknown" {
		t.Errorf("pusher %q", got)
	}
}

func TestPrintRejectionIsRedacted(t *testing.T) {
	secret := strings.Repeat("f3", 20)
	f := finding.Finding{RuleID: "crisp-token", Parts: []finding.Part{{Name: "key", Value: finding.NewSecret(secret)}},
		Location: finding.Location{Path: "app.env", Line: 4, Commit: strings.Repeat("c", 40)}}
	for _, allowed := range []bool{false, true} {
		var b bytes.Buffer
		PrintRejection(&b, []finding.Finding{f}, allowed)
		out := b.String()
		if strings.Contains(out, secret) {
			t.Fatalf("raw value printed:\n%s", out)
		}
		if !strings.Contains(out, "app.env:4  commit cccccccccccc  crisp-token") || strings.Contains(out, "push -o "+SkipOption) != allowed {
			t.Errorf("allowed=%v:\n%s", allowed, out)
		}
	}
	var b bytes.Buffer
	PrintBypass(&b, []finding.Finding{f})
	if !strings.Contains(b.String(), "1 credential(s) let through") || strings.Contains(b.String(), secret) {
		t.Errorf("bypass:\n%s", b.String())
	}
}
