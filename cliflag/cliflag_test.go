package cliflag

import (
	"bytes"
	"errors"
	"flag"
	"reflect"
	"strings"
	"testing"
)

func TestParseFlagsAnywhere(t *testing.T) {
	var out bytes.Buffer
	fs := New("git", "[PATH]", &out)
	format := fs.String("report-format", "text", "format")
	pos, err := Parse(fs, []string{".", "--report-format", "json", "--", "--not-a-flag"})
	if err != nil {
		t.Fatal(err)
	}
	if *format != "json" || !reflect.DeepEqual(pos, []string{".", "--not-a-flag"}) {
		t.Errorf("format %q, operands %q", *format, pos)
	}
	if _, err := Parse(fs, []string{"--nope"}); err == nil || !strings.Contains(err.Error(), "run 'scanner git -h'") || strings.Contains(err.Error(), "\n") {
		t.Errorf("a mistake: %v", err)
	}
	if out.Len() != 0 {
		t.Errorf("a mistake printed the usage: %q", out.String())
	}
	if _, err := Parse(fs, []string{"-h"}); !errors.Is(err, flag.ErrHelp) || !strings.Contains(out.String(), "Usage: scanner git [flags] [PATH]") {
		t.Errorf("-h: %v, stdout %q", err, out.String())
	}
	if !IsHelp("--help") || IsHelp("--helpful") {
		t.Error("IsHelp")
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"": 0, "1048576": 1 << 20, "512KB": 512 << 10, "50 MB": 50 << 20, "1gib": 1 << 30, "7B": 7} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"x", "-1MB", "1.5GB"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) took it", in)
		}
	}
}

func TestSubcommand(t *testing.T) {
	var out bytes.Buffer
	if name, err := Subcommand("rules", []string{"test", "x"}, &out, "USAGE", "list", "test"); name != "test" || err != nil {
		t.Errorf("test: %q, %v", name, err)
	}
	if _, err := Subcommand("rules", []string{"-h"}, &out, "USAGE", "list"); !errors.Is(err, flag.ErrHelp) || out.String() != "USAGE" {
		t.Errorf("help: %v, printed %q", err, out.String())
	}
	for _, args := range [][]string{nil, {"nope"}, {"--config", "list"}} {
		_, err := Subcommand("rules", args, &out, "USAGE", "list", "test")
		if err == nil || err.Error() != "rules needs a subcommand: list or test; run 'scanner rules -h'" {
			t.Errorf("%v: %v", args, err)
		}
	}
}
