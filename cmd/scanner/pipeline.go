package main

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/detect"
	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/source"
)

// scanResult is what a scan found and did.
type scanResult struct {
	findings   []finding.Finding // reported: placed, deduplicated, not suppressed
	suppressed []finding.Finding // placed and deduplicated, but hidden by triage
	stats      finding.Stats
}

// scan runs the detector over a source and places what it finds:
// content without locations is located (git history), a credential a commit
// merely carried over from the content it replaced is dropped, each
// credential is kept once per path at the earliest commit that introduced it,
// and path and commit allowlists are applied.
func scan(ctx context.Context, src source.Source, d *detect.Detector, log zerolog.Logger) (*scanResult, error) {
	start := time.Now()
	byContent, locs, err := detectAll(ctx, src, d)
	if err != nil {
		return nil, err
	}
	res := &scanResult{stats: src.Stats()}
	if err := locateMissing(ctx, src, byContent, locs); err != nil {
		log.Warn().Err(err).Msg("could not place every finding in the history; unplaced ones are reported without a commit")
		res.stats.Warnings++
		for id := range byContent {
			if _, ok := locs[id]; !ok {
				locs[id] = []finding.Location{{Blob: id}}
			}
		}
	}
	placed := place(byContent, locs, &res.stats, log)
	placed = dropCarriedOver(ctx, src, d, placed, log)
	for _, f := range dedupe(placed) {
		d.Triage(&f)
		if f.Suppressed != "" {
			res.suppressed = append(res.suppressed, f)
		} else {
			res.findings = append(res.findings, f)
		}
	}
	res.stats.Findings = len(res.findings)
	res.stats.Suppressed = countSuppressed(res.suppressed)
	res.stats.Duration = time.Since(start)
	return res, nil
}

// detectAll runs the detector on every chunk and groups the findings by
// content, with the locations the source gave.
func detectAll(ctx context.Context, src source.Source, d *detect.Detector) (map[string][]finding.Finding, map[string][]finding.Location, error) {
	var mu sync.Mutex
	byContent := map[string][]finding.Finding{}
	locs := map[string][]finding.Location{}
	err := src.Chunks(ctx, func(c finding.Chunk) error {
		fs := d.Detect(c)
		if len(fs) == 0 {
			return nil
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
func place(byContent map[string][]finding.Finding, locs map[string][]finding.Location, st *finding.Stats, log zerolog.Logger) []finding.Finding {
	var out []finding.Finding
	for id, fs := range byContent {
		ls, ok := locs[id]
		if !ok {
			st.Unreachable++
			log.Debug().Str("blob", id).Int("findings", len(fs)).Msg("credential in an object no ref reaches; not reported")
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
