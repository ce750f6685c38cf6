package pipeline

import (
	"context"
	"sort"
	"sync"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/detect"
	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/source"
)

// prefiltered is a source that can skip the detector's keyword search on
// content it proves keyword-free (a history read in-process).
type prefiltered interface {
	UsePrefilter(source.Prefilter)
}

// detectAll runs the detector on every chunk and groups the findings by
// content, with the locations the source gave. On an error it returns what
// was found before it.
func detectAll(ctx context.Context, src source.Source, d *detect.Detector, onChunk func(finding.Chunk)) (map[string][]finding.Finding, map[string][]finding.Location, error) {
	var mu sync.Mutex
	byContent := map[string][]finding.Finding{}
	locs := map[string][]finding.Location{}
	marker, _ := src.(source.Marker)
	if marker != nil { // a whole history: see historyGCPercent
		defer lowerGC()()
	}
	if p, ok := src.(prefiltered); ok {
		find, reach := d.KeywordSearch()
		p.UsePrefilter(source.Prefilter{Find: find, Reach: reach})
	}
	err := src.Chunks(ctx, func(c finding.Chunk) error {
		if onChunk != nil {
			onChunk(c)
		}
		fs := d.Detect(c)
		if len(fs) == 0 {
			return nil
		}
		if marker != nil && needsPlace(fs) {
			marker.Mark(c.ID) // a history walks its commits only once something is found
		}
		mu.Lock()
		defer mu.Unlock()
		byContent[c.ID] = append(byContent[c.ID], fs...)
		if len(c.Locations) > 0 {
			locs[c.ID] = c.Locations
		}
		return nil
	})
	return byContent, locs, err
}

// placeAll gives every finding its locations: content without them is
// located (git history), each finding is copied to every place its content
// is, and credentials a commit merely carried over are dropped.
func placeAll(ctx context.Context, in Input, byContent map[string][]finding.Finding, locs map[string][]finding.Location, st *finding.Stats) []finding.Finding {
	nameSkipped(ctx, in)
	if _, walks := in.Source.(source.Marker); walks && !placeHidden(in, byContent) {
		for id := range byContent {
			if _, ok := locs[id]; !ok {
				locs[id] = []finding.Location{{Blob: id}}
			}
		}
	}
	if err := locateMissing(ctx, in.Source, byContent, locs); err != nil {
		in.Log.Warn().Err(err).Msg("could not place every finding in the history; unplaced ones are reported without a commit")
		st.Warnings++
		for id := range byContent {
			if _, ok := locs[id]; !ok {
				locs[id] = []finding.Location{{Blob: id}}
			}
		}
	}
	placed := place(byContent, locs, st, in)
	return dropCarriedOver(ctx, in, placed)
}

// needsPlace reports whether some of a content's findings were not hidden by
// an allowlist that judged the content itself (its value, match or line):
// where those are does not change whether they are reported.
func needsPlace(fs []finding.Finding) bool {
	for _, f := range fs {
		if f.Suppressed != finding.SuppressedAllowlist {
			return true
		}
	}
	return false
}

// placeHidden reports whether the findings to place include any that are
// not hidden by content, or the run asked for the hidden ones' places:
// otherwise placing them would cost a history walk for nothing reported.
func placeHidden(in Input, byContent map[string][]finding.Finding) bool {
	if in.PlaceSuppressed || in.Log.GetLevel() <= zerolog.DebugLevel {
		return true
	}
	for _, fs := range byContent {
		if needsPlace(fs) {
			return true
		}
	}
	return false
}

// locateMissing asks a Locator where the content without locations is.
func locateMissing(ctx context.Context, src source.Source, byContent map[string][]finding.Finding, locs map[string][]finding.Location) error {
	loc, ok := src.(source.Locator)
	if !ok {
		return nil
	}
	var ids []string
	for id := range byContent {
		if _, ok := locs[id]; !ok {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	sort.Strings(ids)
	found, err := loc.Locate(ctx, ids)
	for id, l := range found {
		locs[id] = l
	}
	return err
}

// place copies each finding to every location of its content. Content that
// no commit reaches (dangling objects) is counted and dropped.
func place(byContent map[string][]finding.Finding, locs map[string][]finding.Location, st *finding.Stats, in Input) []finding.Finding {
	var out []finding.Finding
	for id, fs := range byContent {
		ls, ok := locs[id]
		if !ok {
			st.Unreachable++
			in.Log.Debug().Str("blob", id).Int("findings", len(fs)).Msg("credential in an object no ref reaches; not reported")
			continue
		}
		for _, l := range ls {
			for _, f := range fs {
				out = append(out, f.At(l))
			}
		}
	}
	return out
}

// dropCarriedOver removes placed findings whose credential was already in
// the content the commit replaced at that path (Location.Prior): an edit to
// a file that holds an old secret does not introduce it again.
func dropCarriedOver(ctx context.Context, in Input, fs []finding.Finding) []finding.Finding {
	br, ok := in.Source.(source.BlobReader)
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
	had, err := fingerprintsIn(ctx, br, in.Detector, ids)
	if err != nil {
		in.Log.Warn().Err(err).Msg("could not read the content some commits replaced; their findings are kept")
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

// better orders two copies of one credential: the one to keep first.
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

// nameSkipped warns of each blob a history skipped for its size, by the
// paths it was introduced at (a blob id alone tells the user nothing).
func nameSkipped(ctx context.Context, in Input) {
	sk, ok := in.Source.(source.LargeSkipper)
	if !ok {
		return
	}
	ids := sk.SkippedLarge()
	if len(ids) == 0 {
		return
	}
	found := map[string][]finding.Location{}
	if loc, ok := in.Source.(source.Locator); ok {
		found, _ = loc.Locate(ctx, ids)
	}
	for _, id := range ids {
		ev := in.Log.Warn().Str("blob", id)
		if ls := found[id]; len(ls) > 0 {
			ev = ev.Str("path", ls[0].Path).Str("commit", ls[0].Commit).Int("places", len(ls))
		}
		ev.Msg("skipped: larger than --max-file-size")
	}
}
