package remediate

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestCodeOwnersFollowsGitHubRules(t *testing.T) {
	co := ParseCodeOwners(`# comment
*       @global-owner
*.js    @js-owner #inline
**/logs @logs-team
/build/logs/ @doctocat
docs/*  docs@example.com
apps/   @octocat
/scripts/ @acme/ops
config  @cfg
/secrets/public.env
`)
	tests := []struct{ path, want string }{
		{"README.md", "@global-owner"},
		{"src/app.js", "@js-owner"},
		{"build/logs/x.log", "@doctocat"},
		{"docs/getting-started.md", "docs@example.com"},
		{"docs/build-app/troubleshooting.md", "@global-owner"},
		{"apps/a.go", "@octocat"},
		{"deep/apps/b/c.go", "@octocat"},
		{"scripts/deploy.env", "@acme/ops"},
		{"other/scripts/deploy.env", "@global-owner"},
		{"a/logs/y", "@logs-team"},
		{"config", "@cfg"},
		{"sub/config/app.env", "@cfg"},
		{"secrets/public.env", ""},
	}
	for _, tc := range tests {
		if got := strings.Join(co.Owners(tc.path), " "); got != tc.want {
			t.Errorf("Owners(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}

func TestLoadCodeOwnersFirstLocationWins(t *testing.T) {
	fsys := fstest.MapFS{
		"CODEOWNERS":         {Data: []byte("* @root\n")},
		".github/CODEOWNERS": {Data: []byte("* @dotgithub\n")},
		"docs/CODEOWNERS":    {Data: []byte("* @docs\n")},
	}
	co, err := LoadCodeOwners(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if co.Path != ".github/CODEOWNERS" || co.Owners("x")[0] != "@dotgithub" {
		t.Errorf("loaded %s with owners %v", co.Path, co.Owners("x"))
	}
	delete(fsys, ".github/CODEOWNERS")
	if co, _ = LoadCodeOwners(fsys); co.Path != "CODEOWNERS" {
		t.Errorf("loaded %s, want the root file", co.Path)
	}
	co, err = LoadCodeOwners(fstest.MapFS{})
	if err != nil || co.Owners("x") != nil {
		t.Errorf("no file: owners %v, err %v", co.Owners("x"), err)
	}
}
