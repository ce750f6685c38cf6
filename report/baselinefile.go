package report

import (
	"bytes"
	"fmt"
	"os"
	"time"

	"github.com/scanner-dev/scanner/finding"
)

// ReadBaselineFile reads the baseline at path; a file that does not exist
// is an empty baseline.
func ReadBaselineFile(path string) (*Baseline, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return &Baseline{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	defer f.Close()
	b, err := ReadBaseline(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}

// BaselineUpdate says how UpdateBaselineFile changes a baseline.
type BaselineUpdate struct {
	Keep  bool      // add to the baseline in the file (else start a new one)
	Prune bool      // drop the entries fs no longer holds
	Note  string    // recorded on each new entry
	Now   time.Time // when the new entries were accepted
}

// UpdateBaselineFile writes the baseline at path with the findings fs
// added, and returns it with the number of entries added and pruned.
func UpdateBaselineFile(path string, fs []finding.Finding, u BaselineUpdate) (b *Baseline, added, pruned int, err error) {
	b = &Baseline{}
	if u.Keep {
		if b, err = ReadBaselineFile(path); err != nil {
			return nil, 0, 0, err
		}
	}
	if u.Prune {
		pruned = b.Prune(fs)
	}
	start := len(b.Entries)
	added = b.Add(fs, u.Now)
	for i := start; i < len(b.Entries); i++ {
		b.Entries[i].Note = u.Note
	}
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		return nil, 0, 0, err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return nil, 0, 0, fmt.Errorf("write baseline: %w", err)
	}
	return b, added, pruned, nil
}
