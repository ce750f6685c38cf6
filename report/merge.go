package report

import (
	"slices"
	"sort"
	"strings"

	"github.com/scanner-dev/scanner/finding"
)

// Merge joins reports (the shards of a sweep, or runs over parts of one
// target) into one made by tool: each finding once (by repository,
// fingerprint, path, commit and line), the stats summed, the targets joined,
// and each repository's coverage once (the most recent scan of it when two
// reports cover it).
func Merge(tool Tool, reps ...*Report) *Report {
	out := &Report{Tool: tool, Stats: finding.Stats{Suppressed: map[string]int{}}}
	type key struct {
		repo, fp, path, commit string
		line                   int
	}
	seen := map[key]bool{}
	var kinds, targets, ranges []string
	repos := map[string]Repository{}
	for _, r := range reps {
		kinds = appendNew(kinds, r.Target.Kind)
		targets = appendNew(targets, r.Target.Path)
		ranges = appendNew(ranges, r.Target.Range)
		for _, f := range r.Findings {
			k := key{f.Repository, f.Fingerprint, f.Path, f.Commit, f.Line}
			if !seen[k] {
				seen[k] = true
				out.Findings = append(out.Findings, f)
			}
		}
		out.Stats.Add(r.Stats)
		for _, repo := range r.Repositories {
			if old, ok := repos[repo.Name]; !ok || repo.ScannedAt.After(old.ScannedAt) {
				repos[repo.Name] = repo
			}
		}
	}
	sort.Strings(ranges)
	out.Target = Target{Kind: strings.Join(kinds, ","), Path: strings.Join(targets, ","), Range: strings.Join(ranges, ",")}
	Sort(out.Findings)
	out.Stats.Findings = len(out.Findings)
	out.Repositories = sortedRepositories(repos)
	return out
}

func sortedRepositories(m map[string]Repository) []Repository {
	if len(m) == 0 {
		return nil
	}
	out := make([]Repository, 0, len(m))
	for _, r := range m {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func appendNew(list []string, v string) []string {
	if v == "" || slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// MergeFiles reads the JSON reports at paths and merges them (see Merge).
func MergeFiles(tool Tool, paths ...string) (*Report, error) {
	reps := make([]*Report, 0, len(paths))
	for _, p := range paths {
		rep, err := ReadJSONFile(p)
		if err != nil {
			return nil, err
		}
		reps = append(reps, rep)
	}
	return Merge(tool, reps...), nil
}
