package main

import (
	"context"
	"sort"
	"sync"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/detect"
	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/source"
)

// dropCarriedOver removes placed findings whose credential was already in
// the content the commit replaced at that path (Location.Prior): an edit to
// a file that holds an old secret does not introduce it again.
func dropCarriedOver(ctx context.Context, src source.Source, d *detect.Detector, fs []finding.Finding, log zerolog.Logger) []finding.Finding {
	br, ok := src.(source.BlobReader)
	if !ok {
		return fs
	}
	var ids []string
	seen := map[string]bool{}
	for _, f := range fs {
		for _, p := range f.Prior {
			if !seen[p] {
				seen[p] = true
				ids = append(ids, p)
			}
		}
	}
	if len(ids) == 0 {
		return fs
	}
	had, err := fingerprintsIn(ctx, br, d, ids)
	if err != nil {
		log.Warn().Err(err).Msg("could not read the content some commits replaced; their findings are kept")
		return fs
	}
	out := fs[:0]
	for _, f := range fs {
		if !carriedOver(f, had) {
			out = append(out, f)
		}
	}
	return out
}

func fingerprintsIn(ctx context.Context, br source.BlobReader, d *detect.Detector, ids []string) (map[string]map[string]bool, error) {
	var mu sync.Mutex
	had := map[string]map[string]bool{}
	err := br.ReadBlobs(ctx, ids, func(c finding.Chunk) error {
		fs := d.Detect(c)
		mu.Lock()
		defer mu.Unlock()
		if had[c.ID] == nil {
			had[c.ID] = map[string]bool{}
		}
		for _, f := range fs {
			had[c.ID][f.Fingerprint] = true
		}
		return nil
	})
	return had, err
}

func carriedOver(f finding.Finding, had map[string]map[string]bool) bool {
	for _, p := range f.Prior {
		if had[p][f.Fingerprint] {
			return true
		}
	}
	return false
}

// dedupe keeps one finding per credential and path: unsuppressed before
// suppressed, then the earliest author date, then the first line.
func dedupe(fs []finding.Finding) []finding.Finding {
	sort.SliceStable(fs, func(i, j int) bool { return better(fs[i], fs[j]) })
	type key struct{ repo, fp, path string }
	seen := map[key]bool{}
	var out []finding.Finding
	for _, f := range fs {
		k := key{f.Repository, f.Fingerprint, f.Path}
		if !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	return out
}

func better(a, b finding.Finding) bool {
	switch {
	case (a.Suppressed == "") != (b.Suppressed == ""):
		return a.Suppressed == ""
	case !a.Date.Equal(b.Date):
		return a.Date.Before(b.Date)
	case a.Line != b.Line:
		return a.Line < b.Line
	case a.Commit != b.Commit:
		return a.Commit < b.Commit
	}
	return a.Severity.Rank() > b.Severity.Rank()
}

func countSuppressed(fs []finding.Finding) map[string]int {
	m := map[string]int{}
	for _, f := range fs {
		m[string(f.Suppressed)]++
	}
	return m
}
