package validate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/scanner-dev/scanner/finding"
)

// Cache keeps validation answers across runs in a JSON file, keyed by rule
// and fingerprint (never the secret). Only live and invalid answers are kept:
// an unknown one is worth asking again.
type Cache struct {
	path    string
	ttl     time.Duration
	mu      sync.Mutex
	entries map[string]cacheEntry
	dirty   bool
}

type cacheEntry struct {
	Status    finding.Status `json:"status"`
	Tier      string         `json:"tier,omitempty"`
	CheckedAt time.Time      `json:"checked_at"`
	Detail    string         `json:"detail,omitempty"`
	Reach     *finding.Reach `json:"reach,omitempty"` // public ids and claims only
}

type cacheFile struct {
	Version int                   `json:"version"`
	Entries map[string]cacheEntry `json:"entries"`
}

// OpenCache reads the cache file at path (a missing file is an empty cache).
// Entries older than ttl are ignored.
func OpenCache(path string, ttl time.Duration) (*Cache, error) {
	c := &Cache{path: path, ttl: ttl, entries: map[string]cacheEntry{}}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("validation cache: %w", err)
	}
	var f cacheFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("validation cache %s: %w", path, err)
	}
	for k, e := range f.Entries {
		if time.Since(e.CheckedAt) < ttl {
			c.entries[k] = e
		}
	}
	return c, nil
}

func (c *Cache) get(key string) (finding.Validation, bool) {
	if c == nil {
		return finding.Validation{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || time.Since(e.CheckedAt) >= c.ttl {
		return finding.Validation{}, false
	}
	return finding.Validation{Status: e.Status, Tier: e.Tier, CheckedAt: e.CheckedAt, Detail: e.Detail + " (cached)", Reach: e.Reach}, true
}

func (c *Cache) put(key string, v finding.Validation) {
	if c == nil || v.Status == finding.Unknown {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[key] = cacheEntry{Status: v.Status, Tier: v.Tier, CheckedAt: v.CheckedAt, Detail: v.Detail, Reach: v.Reach}
	c.dirty = true
}

// Save writes the cache back if it changed, atomically.
func (c *Cache) Save() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.dirty {
		return nil
	}
	b, err := json.MarshalIndent(cacheFile{Version: 1, Entries: c.entries}, "", " ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(c.path), ".validation-cache-*")
	if err != nil {
		return fmt.Errorf("validation cache: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("validation cache: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), c.path)
}
