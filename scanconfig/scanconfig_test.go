package scanconfig

import (
	"context"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
)

// mapTree is a tree of files in memory: a given path is the user's own
// file, a name at the root is the tree's.
type mapTree map[string]string

func (m mapTree) Read(_ context.Context, path, name, _ string) ([]byte, string, bool, error) {
	if path != "" {
		if s, ok := m[path]; ok {
			return []byte(s), path, false, nil
		}
		return nil, "", false, nil
	}
	if s, ok := m[name]; ok && name != "" {
		return []byte(s), name, true, nil
	}
	return nil, "", false, nil
}

const typicalGitleaks = `
[extend]
useDefault = true

[[rules]]
id = "acme-internal-token"
regex = '''acme_token\s*=\s*(acm_[a-z0-9]{32})'''
secretGroup = 1
keywords = ["acme"]

[allowlist]
paths = ['''(^|/)vendor/''']
`

func TestLoadPicksTheRules(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name         string
		tree         mapTree
		opts         Options
		wantGitleaks bool
		wantRule     string
		wantErr      string
	}{
		{"built-in", mapTree{}, Options{}, false, "crisp-token", ""},
		{"tree's .gitleaks.toml", mapTree{".gitleaks.toml": typicalGitleaks}, Options{}, true, "acme-internal-token", ""},
		{"GITLEAKS_CONFIG", mapTree{"/etc/gl.toml": typicalGitleaks}, Options{GitleaksConfig: "/etc/gl.toml"}, true, "acme-internal-token", ""},
		{"enable-rule", mapTree{}, Options{EnableRules: []string{"crisp-token"}}, false, "crisp-token", ""},
		{"unknown enable-rule", mapTree{}, Options{EnableRules: []string{"nope"}}, false, "", "no such rule"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Log = zerolog.Nop()
			l, err := Load(ctx, tt.tree, tt.opts)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (l.Gitleaks != nil) != tt.wantGitleaks || l.Rules.Rule(tt.wantRule) == nil {
				t.Errorf("gitleaks=%v, rules=%q", l.Gitleaks != nil, l.Rules.RuleIDs())
			}
			if tt.opts.EnableRules != nil && len(l.Rules.Rules) != 1 {
				t.Errorf("--enable-rule kept %q", l.Rules.RuleIDs())
			}
		})
	}
}

func TestLoadBaselines(t *testing.T) {
	ctx := context.Background()
	f := finding.Finding{RuleID: "crisp-token", Fingerprint: "fp-1", Location: finding.Location{Path: "a.env", Line: 2}}
	tree := mapTree{
		BaselineName:      `{"version":1,"kind":"baseline","entries":[{"fingerprint":"fp-1","path":"a.env","rule_id":"crisp-token"}]}`,
		".gitleaksignore": "fp-2\n",
	}
	l, err := Load(ctx, tree, Options{Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Baselines) != 2 {
		t.Fatalf("baselines = %d, want ours and .gitleaksignore", len(l.Baselines))
	}
	if !l.Baselines[0].Has(f) {
		t.Error("the tree's baseline does not hide its entry")
	}
	l, err = Load(ctx, tree, Options{NoBaseline: true, Log: zerolog.Nop()})
	if err != nil || len(l.Baselines) != 0 {
		t.Errorf("NoBaseline: %d baselines, %v", len(l.Baselines), err)
	}
	if _, err := Load(ctx, mapTree{"b.json": "{not json"}, Options{Baseline: "b.json", Log: zerolog.Nop()}); err == nil || !strings.Contains(err.Error(), "b.json") {
		t.Errorf("a bad baseline: err = %v, want it named", err)
	}
}
