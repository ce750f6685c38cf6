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
	s.mu.Lock()
	defer s.mu.Unlock()
	set := map[string]bool{}
	for _, id := range s.Repos[strings.ToLower(fullName)].Tips {
		set[id] = true
	}
	out := make([]string, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// Record notes that repo's history up to tips has been scanned.
func (s *State) Record(fullName string, tips map[string]string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Repos[strings.ToLower(fullName)] = RepoState{Tips: tips, ScannedAt: at.UTC()}
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
