package report

import "strings"

// SweepTarget is the target of a sweep of GitHub organisations, users and
// repositories ("org:acme,user:ada,repo:acme/app"); a shard ("2/4", empty
// for none) is its range.
func SweepTarget(orgs, users, repos []string, shard string) Target {
	var what []string
	for _, l := range []struct {
		prefix string
		names  []string
	}{{"org:", orgs}, {"user:", users}, {"repo:", repos}} {
		for _, v := range l.names {
			what = append(what, l.prefix+v)
		}
	}
	t := Target{Kind: "github", Path: strings.Join(what, ",")}
	if shard != "" {
		t.Range = "shard " + shard
	}
	return t
}

// WorkTree is the directory a git or dir scan read, where the repository's
// CODEOWNERS and origin remote are to be found; "" for other targets
// (stdin, a sweep, re-checked credentials).
func (t Target) WorkTree() string {
	if t.Kind == "git" || t.Kind == "dir" {
		return t.Path
	}
	return ""
}
