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
