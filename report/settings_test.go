package report

import (
	"bytes"
	"flag"
	"io"
	"strings"
	"testing"
)

func TestSettingsBindSpellings(t *testing.T) {
	for _, args := range [][]string{
		{"--report-format", "json", "--report-path", "r.json"},
		{"-f", "json", "-r", "r.json"},
		{"--format", "json", "-r", "r.json"},
	} {
		var s Settings
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		s.Bind(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		if want := (Settings{Format: "json", Path: "r.json"}); s != want {
			t.Errorf("%q: %+v, want %+v", args, s, want)
		}
	}
	if err := (Settings{Format: "yaml"}).Check(); err == nil {
		t.Error("yaml: no error")
	}
}

// Text is coloured only on a terminal's stdout, without --no-color, and
// secrets stay redacted unless asked.
func TestSettingsWrite(t *testing.T) {
	s := newSample(t)
	for _, tt := range []struct {
		set       Settings
		terminal  bool
		wantColor bool
	}{
		{Settings{Format: "text"}, true, true},
		{Settings{Format: "text"}, false, false},
		{Settings{Format: "text", NoColor: true}, true, false},
		{Settings{Format: "text", Path: "-"}, true, false},
	} {
		var out bytes.Buffer
		if err := tt.set.Write(&out, s.rep, tt.terminal, nil); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(out.String(), "\x1b["); got != tt.wantColor {
			t.Errorf("%+v terminal=%v: colour %v, want %v", tt.set, tt.terminal, got, tt.wantColor)
		}
		if strings.Contains(out.String(), s.fx.Key) {
			t.Errorf("%+v: raw key in the report", tt.set)
		}
	}
}
