package sweep

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// stateVersion is the version of the state file format.
const stateVersion = 1

// State is what earlier sweeps scanned: per repository, the ref tips whose
// history has been scanned. A sweep scans only the commits none of them
// reaches.
type State struct {
	mu    sync.Mutex
	Repos map[string]RepoState
}

// RepoState is one repository's entry in the state.
type RepoState struct {
	Tips      map[string]string `json:"tips"` // ref -> object id
	ScannedAt time.Time         `json:"scanned_at"`
	// RulesHash is the hash of the rules the history up to Tips was scanned
	// with (see RulesHash); a sweep with other rules scans it all again.
	RulesHash string `json:"rules_hash,omitempty"`
	// Version is the scanner version that scanned it.
	Version string `json:"scanner_version,omitempty"`
}

type stateFile struct {
	Version int                  `json:"version"`
	Repos   map[string]RepoState `json:"repos"`
}

// LoadState reads the state file at path; a missing file is an empty state.
func LoadState(path string) (*State, error) {
	s := &State{Repos: map[string]RepoState{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("state file: %w", err)
	}
	var f stateFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("state file %s: %w", path, err)
	}
	if f.Version != stateVersion {
		return nil, fmt.Errorf("state file %s: version %d, want %d", path, f.Version, stateVersion)
	}
	for k, v := range f.Repos {
		s.Repos[strings.ToLower(k)] = v
	}
	return s, nil
}

// Scanned returns the distinct tips scanned for repo, sorted.
func (s *State) Scanned(fullName string) []string {
	e, _ := s.Get(fullName)
	return distinct(e.Tips)
}

// Since returns the distinct tips scanned for repo with the rules whose hash
// is rulesHash, sorted: what an incremental scan starts from. It is empty
// when the state knows nothing of repo, or when its history was scanned
// with other rules (or with rules of unknown hash, by an older state file),
// so that a change of rules rescans every repository in full by itself.
func (s *State) Since(fullName, rulesHash string) []string {
	e, ok := s.Get(fullName)
	if !ok || e.RulesHash != rulesHash {
		return nil
	}
	return distinct(e.Tips)
}

// Get returns repo's entry, and whether the state has one.
func (s *State) Get(fullName string) (RepoState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.Repos[strings.ToLower(fullName)]
	return e, ok
}

// Put sets repo's entry.
func (s *State) Put(fullName string, e RepoState) {
	e.ScannedAt = e.ScannedAt.UTC()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Repos == nil {
		s.Repos = map[string]RepoState{}
	}
	s.Repos[strings.ToLower(fullName)] = e
}

func distinct(tips map[string]string) []string {
	set := map[string]bool{}
	for _, id := range tips {
		set[id] = true
	}
	out := make([]string, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// Record notes that repo's history up to tips has been scanned (with rules
// of unknown hash: Put records the hash).
func (s *State) Record(fullName string, tips map[string]string, at time.Time) {
	s.Put(fullName, RepoState{Tips: tips, ScannedAt: at})
}

// Save writes the state to path atomically (a temporary file renamed).
func (s *State) Save(path string) error {
	s.mu.Lock()
	data, err := json.MarshalIndent(stateFile{Version: stateVersion, Repos: s.Repos}, "", "  ")
	s.mu.Unlock()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".state-*")
	if err != nil {
		return fmt.Errorf("state file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("state file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("state file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("state file: %w", err)
	}
	return nil
}
