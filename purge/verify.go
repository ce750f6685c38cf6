package purge

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/scanner-dev/scanner/detect"
	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/source"
)

// Verdict is what Verify found: how many of the fingerprints some ref still
// reaches, and where.
type Verdict struct {
	Total int // distinct fingerprints checked
	// Reachable holds one finding per place a ref still reaches a blob with
	// one of the fingerprints (redacted: the parts are dropped).
	Reachable []finding.Finding
	// Unreachable counts the blobs that hold one but that no ref reaches:
	// gone once the repository (or the forge) collects garbage.
	Unreachable int
	// Redacted is each reachable fingerprint's value, redacted.
	Redacted map[string]string
}

// ReachableFingerprints counts the distinct fingerprints still reachable.
func (v *Verdict) ReachableFingerprints() int {
	seen := map[string]bool{}
	for _, f := range v.Reachable {
		seen[f.Fingerprint] = true
	}
	return len(seen)
}

// Verify scans every blob of repo with d and reports where a ref still
// reaches one with any of the fingerprints.
func Verify(ctx context.Context, repo *source.Repo, d *detect.Detector, fingerprints []string) (*Verdict, error) {
	want := map[string]bool{}
	for _, fp := range fingerprints {
		if fp != "" {
			want[fp] = true
		}
	}
	v := &Verdict{Total: len(want), Redacted: map[string]string{}}
	var mu sync.Mutex
	byBlob := map[string][]finding.Finding{}
	h := repo.History()
	err := h.Chunks(ctx, func(c finding.Chunk) error {
		for _, f := range d.Detect(c) {
			if want[f.Fingerprint] {
				red := f.Redacted()
				f.Parts = nil // the verdict names places, never values
				mu.Lock()
				v.Redacted[f.Fingerprint] = red
				byBlob[c.ID] = append(byBlob[c.ID], f)
				mu.Unlock()
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scan the history: %w", err)
	}
	if len(byBlob) == 0 {
		return v, nil
	}
	ids := make([]string, 0, len(byBlob))
	for id := range byBlob {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	locs, err := h.Locate(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("place what the history holds: %w", err)
	}
	for _, id := range ids {
		if len(locs[id]) == 0 {
			v.Unreachable++
			continue
		}
		v.Reachable = append(v.Reachable, placed(byBlob[id], locs[id])...)
	}
	sort.Slice(v.Reachable, func(i, j int) bool {
		a, b := v.Reachable[i], v.Reachable[j]
		return a.Path+a.Commit+a.Fingerprint < b.Path+b.Commit+b.Fingerprint
	})
	return v, nil
}

// placed copies each finding (once per fingerprint) to every location.
func placed(fs []finding.Finding, locs []finding.Location) []finding.Finding {
	var out []finding.Finding
	seen := map[string]bool{}
	for _, f := range fs {
		if seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		for _, l := range locs {
			out = append(out, f.At(l))
		}
	}
	return out
}

// Print writes the verdict: "0 of N fingerprints reachable" and what a
// forge still keeps, or each place a ref still reaches, redacted.
func (v *Verdict) Print(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d fingerprints reachable from any ref.\n", v.ReachableFingerprints(), v.Total)
	for _, f := range v.Reachable {
		fmt.Fprintf(&b, "  still reachable: %s:%d  commit %s  %s  %s  %s\n", f.Path, f.Line, f.Commit, f.RuleID, v.Redacted[f.Fingerprint], f.Fingerprint)
	}
	if v.Unreachable > 0 {
		fmt.Fprintf(&b, "%d blob(s) no ref reaches still hold one until garbage is collected (git gc --prune=now here; the forge's own schedule there).\n", v.Unreachable)
	}
	b.WriteString("\n" + ForgeKeeps + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}
