package validate

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
)

func TestFinishSavesTheCacheAndLogs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.json")
	cache, err := OpenCache(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	cache.put("k", finding.Validation{Status: finding.Invalid}) // a change to save
	var logs bytes.Buffer
	v := New(Options{Rate: 1000})
	var st finding.Stats
	if err := v.Finish(cache, &st, 3, zerolog.New(&logs)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("cache not saved: %v", err)
	}
	if !strings.Contains(logs.String(), `"credentials":3`) {
		t.Errorf("log: %s", logs.String())
	}
	if err := v.Finish(nil, nil, 0, zerolog.Nop()); err != nil {
		t.Errorf("no cache, no stats: %v", err)
	}
}
