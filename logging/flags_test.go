package logging

import (
	"bytes"
	"flag"
	"io"
	"strings"
	"testing"
)

func TestSettings(t *testing.T) {
	var s Settings
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	s.Bind(fs, "warn")
	if err := fs.Parse([]string{"--log-format", "json"}); err != nil {
		t.Fatal(err)
	}
	if want := (Settings{Level: "warn", Format: "json"}); s != want {
		t.Fatalf("%+v, want %+v", s, want)
	}
	var b bytes.Buffer
	log, err := s.New(&b)
	if err != nil {
		t.Fatal(err)
	}
	log.Info().Msg("hidden")
	log.Warn().Msg("shown")
	if out := b.String(); strings.Contains(out, "hidden") || !strings.Contains(out, `"message":"shown"`) {
		t.Errorf("logged %q", out)
	}
	if _, err := (Settings{Level: "loud", Format: "text"}).New(io.Discard); err == nil {
		t.Error("--log-level loud: no error")
	}
}
