package report

import "testing"

func TestSweepTarget(t *testing.T) {
	got := SweepTarget([]string{"acme"}, []string{"ada"}, []string{"acme/app", "x/y"}, "2/4")
	want := Target{Kind: "github", Path: "org:acme,user:ada,repo:acme/app,repo:x/y", Range: "shard 2/4"}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got := SweepTarget(nil, nil, []string{"a/b"}, ""); got.Range != "" || got.Path != "repo:a/b" {
		t.Errorf("no shard: %+v", got)
	}
}

func TestTargetWorkTree(t *testing.T) {
	for target, want := range map[Target]string{
		{Kind: "git", Path: "/src/app", Range: "a..b"}: "/src/app",
		{Kind: "dir", Path: "deploy"}:                  "deploy",
		{Kind: "stdin", Path: "stdin"}:                 "",
		{Kind: "github", Path: "org:acme"}:             "",
	} {
		if got := target.WorkTree(); got != want {
			t.Errorf("%+v: %q, want %q", target, got, want)
		}
	}
}
