package validate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
)

func goodSettings() Settings {
	return Settings{Workers: 2, Rate: 5, Timeout: time.Second, ReachPages: 10, FailOn: "any"}
}

func TestSettingsCheck(t *testing.T) {
	if err := goodSettings().Check(); err != nil {
		t.Fatalf("good settings: %v", err)
	}
	for want, change := range map[string]func(*Settings){
		"--validate-rate":        func(s *Settings) { s.Rate = 0 },
		"--validate-budget":      func(s *Settings) { s.Budgets = []string{"crisp"} },
		"--validate-reach-pages": func(s *Settings) { s.ReachPages = 0 },
		"--fail-on":              func(s *Settings) { s.FailOn = "some" },
	} {
		s := goodSettings()
		change(&s)
		if err := s.Check(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", want, err)
		}
	}
}

func TestSettingsFails(t *testing.T) {
	invalid := finding.Finding{Validation: &finding.Validation{Status: finding.Invalid}}
	unknown := finding.Finding{Validation: &finding.Validation{Status: finding.Unknown}}
	unchecked := finding.Finding{}
	for _, c := range []struct {
		failOn string
		fs     []finding.Finding
		want   bool
	}{
		{"any", nil, false},
		{"any", []finding.Finding{invalid}, true},
		{"live", []finding.Finding{invalid}, false},
		{"live", []finding.Finding{invalid, unknown}, true},
		{"live", []finding.Finding{unchecked}, true},
	} {
		if got := (Settings{FailOn: c.failOn}).Fails(c.fs); got != c.want {
			t.Errorf("fail on %s, %d findings: %v, want %v", c.failOn, len(c.fs), got, c.want)
		}
	}
}

// A session opens the cache the settings name and saves it when done.
func TestSettingsSessionSavesTheCache(t *testing.T) {
	s := goodSettings()
	s.CachePath = filepath.Join(t.TempDir(), "cache.json")
	s.CacheTTL = time.Hour
	var st finding.Stats
	if err := s.Validate(context.Background(), nil, nil, &st, "test", zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	sess, err := s.Open(nil, "test", zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	sess.cache.put("k", finding.Validation{Status: finding.Invalid}) // a change to save
	if err := sess.Done(&st, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.CachePath); err != nil {
		t.Errorf("cache not saved: %v", err)
	}
	s.Budgets = []string{"kustomer=1", "crisp"}
	if _, err := s.Open(nil, "test", zerolog.Nop()); err == nil {
		t.Error("a bad budget opened a session")
	}
}
