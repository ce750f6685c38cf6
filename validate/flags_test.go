package validate

import (
	"flag"
	"io"
	"reflect"
	"testing"
	"time"
)

func TestBindDefaultsAndFlags(t *testing.T) {
	parse := func(args ...string) Settings {
		t.Helper()
		var s Settings
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		s.Bind(fs, "live")
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		return s
	}
	want := Settings{Workers: 4, Rate: 5, Timeout: 10 * time.Second, CacheTTL: 24 * time.Hour, Reach: true, ReachPages: 10, FailOn: "live"}
	if got := parse(); !reflect.DeepEqual(got, want) {
		t.Errorf("defaults = %+v, want %+v", got, want)
	}
	want.Enabled, want.WebsiteIDs, want.Budgets, want.FailOn = true, []string{"a", "b"}, []string{"crisp=1"}, "any"
	got := parse("--validate", "--crisp-website-id", "a", "--crisp-website-id", "b", "--validate-budget", "crisp=1", "--fail-on", "any")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("flags = %+v, want %+v", got, want)
	}
	if err := got.Check(); err != nil {
		t.Errorf("bound settings: %v", err)
	}
}
