package pipeline

import (
	"context"
	"errors"
	"time"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/detect"
	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/source"
)

// Baseline says which findings the user has already reviewed: a baseline
// file, an earlier report, a .gitleaksignore.
type Baseline interface {
	Has(f finding.Finding) bool
}

// Triager hides findings by rules of its own (a gitleaks configuration's
// allowlists): Triage sets f.Suppressed and reports whether it did.
type Triager interface {
	Triage(f *finding.Finding) bool
}

// Validator checks findings live with their providers, filling each one's
// Validation in place.
type Validator interface {
	Validate(ctx context.Context, fs []finding.Finding)
}

// websiteIDTaker is a Validator that can use Crisp website ids seen anywhere in
// the scanned content.
type websiteIDTaker interface {
	AddWebsiteIDs(ids []string)
}

// Input is what one run needs.
type Input struct {
	Source   source.Source
	Detector *detect.Detector
	// Baselines hide the findings they list (reason baseline).
	Baselines []Baseline
	// Triagers hide findings after the detector's own triage.
	Triagers []Triager
	// OnChunk, when set, is told of every chunk read (progress); it is
	// called from several goroutines at once.
	OnChunk func(finding.Chunk)
	// Validator, when set, validates the reported findings and the
	// inline-allowed ones (an inline comment does not hide a live credential
	// unless InlineAllowLive).
	Validator       Validator
	InlineAllowLive bool
	// Found, when set, is called with each finding to report as soon as it
	// is placed and triaged, before validation (gitleaks' --verbose).
	Found func(finding.Finding)
	// PlaceSuppressed places findings that an allowlist hid by their
	// content even when nothing else needs placing (--explain): in a
	// history that costs a walk of every commit. Without it, and unless the
	// log shows debug messages (which name each one's path), such findings
	// are counted once per blob, unplaced, when nothing reported needs the
	// walk.
	PlaceSuppressed bool
	Log             zerolog.Logger
}

// Result is what a run found and did.
type Result struct {
	Findings   []finding.Finding // reported: placed, deduplicated, not suppressed
	Suppressed []finding.Finding // placed and deduplicated, hidden by triage (each with its reason)
	Stats      finding.Stats
}

// Run scans in.Source with in.Detector and takes what it finds through
// placement, triage and (when asked) validation. An interrupt (the context
// cancelled while reading) gives the findings read so far, with
// Stats.Incomplete set and no validation; any other read error is returned.
func Run(ctx context.Context, in Input) (*Result, error) {
	start := time.Now()
	byContent, locs, err := detectAll(ctx, in.Source, in.Detector, in.OnChunk)
	incomplete := false
	if err != nil {
		if ctx.Err() == nil || !errors.Is(err, ctx.Err()) {
			return nil, err
		}
		incomplete = true
		in.Log.Warn().Msg("interrupted: reporting what was found so far")
		// place what was found without the cancelled context; a second
		// interrupt ends the process (see cmd/scanner)
		ctx = context.WithoutCancel(ctx)
	}
	res := &Result{Stats: in.Source.Stats()}
	res.Stats.Incomplete = incomplete
	placed := placeAll(ctx, in, byContent, locs, &res.Stats)
	for _, f := range dedupe(placed) {
		in.Detector.Triage(&f)
		for _, t := range in.Triagers {
			if f.Suppressed == "" {
				t.Triage(&f)
			}
		}
		if f.Suppressed == "" && hasAny(in.Baselines, f) {
			f.Suppressed = finding.SuppressedBaseline
		}
		if f.Suppressed != "" {
			in.Log.Debug().Str("rule", f.RuleID).Str("path", f.Path).Int("line", f.Line).Str("commit", f.Commit).
				Str("credential", f.Redacted()).Str("reason", string(f.Suppressed)).Msg("suppressed")
			res.Suppressed = append(res.Suppressed, f)
			continue
		}
		if in.Found != nil {
			in.Found(f)
		}
		res.Findings = append(res.Findings, f)
	}
	if in.Validator != nil && !incomplete {
		validateAll(ctx, in, res)
	}
	res.Count()
	res.Stats.Duration = time.Since(start)
	return res, nil
}

// Count brings Stats.Findings and Stats.Suppressed up to date with the
// result's lists.
func (r *Result) Count() {
	r.Stats.Findings = len(r.Findings)
	m := map[string]int{}
	for _, f := range r.Suppressed {
		m[string(f.Suppressed)]++
	}
	r.Stats.Suppressed = m
}

// Add joins another result to this one (the repositories of a sweep).
func (r *Result) Add(o *Result) {
	r.Findings = append(r.Findings, o.Findings...)
	r.Suppressed = append(r.Suppressed, o.Suppressed...)
	r.Stats.Add(o.Stats)
}

func hasAny(bs []Baseline, f finding.Finding) bool {
	for _, b := range bs {
		if b != nil && b.Has(f) {
			return true
		}
	}
	return false
}

// validateAll validates the reported findings and, unless inline comments may
// hide live credentials, the inline-allowed ones too: those that answer live
// are reported after all.
func validateAll(ctx context.Context, in Input, res *Result) {
	if t, ok := in.Validator.(websiteIDTaker); ok {
		t.AddWebsiteIDs(in.Detector.WebsiteIDs())
	}
	var inline []finding.Finding
	if !in.InlineAllowLive {
		for _, f := range res.Suppressed {
			if f.Suppressed == finding.SuppressedInline {
				inline = append(inline, f)
			}
		}
	}
	all := append(append(make([]finding.Finding, 0, len(res.Findings)+len(inline)), res.Findings...), inline...)
	if len(all) == 0 {
		return
	}
	in.Validator.Validate(ctx, all)
	res.Findings = all[:len(res.Findings)]
	reinstateLive(res, all[len(res.Findings):])
}

// reinstateLive puts back the inline-allowed findings that validated live.
func reinstateLive(res *Result, checked []finding.Finding) {
	live := map[string]finding.Finding{}
	for _, f := range checked {
		if f.Validation != nil && f.Validation.Status == finding.Live {
			live[f.Fingerprint+"\x00"+f.Path] = f
		}
	}
	if len(live) == 0 {
		return
	}
	kept := res.Suppressed[:0]
	for _, f := range res.Suppressed {
		if g, ok := live[f.Fingerprint+"\x00"+f.Path]; ok && f.Suppressed == finding.SuppressedInline {
			g.Suppressed = ""
			if g.Details == nil {
				g.Details = map[string]string{}
			}
			g.Details["inline_allow"] = "ignored: the credential is live (--inline-allow-live to honour it)"
			res.Findings = append(res.Findings, g)
			continue
		}
		kept = append(kept, f)
	}
	res.Suppressed = kept
}
