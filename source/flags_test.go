package source

import (
	"flag"
	"io"
	"testing"

	"github.com/rs/zerolog"
)

func TestWantCheck(t *testing.T) {
	for _, tt := range []struct {
		w  Want
		ok bool
	}{
		{Want{Range: "A..B"}, true},
		{Want{Staged: true, PreCommit: true}, true},
		{Want{Staged: true, Range: "A..B"}, false},
		{Want{LogOpts: "A..B", Range: "A..B"}, false},
		{Want{LogOpts: "A..B", Staged: true}, false},
	} {
		if err := tt.w.Check(); (err == nil) != tt.ok {
			t.Errorf("%+v: %v", tt.w, err)
		}
	}
}

func TestSettingsOptions(t *testing.T) {
	var s Settings
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	s.Bind(fs)
	if err := fs.Parse([]string{"--max-file-size", "2MB", "--max-target-megabytes", "1", "--scan-binary", "--workers", "3"}); err != nil {
		t.Fatal(err)
	}
	o, err := s.Options(zerolog.Nop())
	if err != nil || o.MaxFileSize != 1<<20 || !o.ScanBinary || o.Workers != 3 {
		t.Errorf("options %+v, %v", o, err)
	}
	if _, err := (Settings{MaxFileSize: "lots"}).Options(zerolog.Nop()); err == nil {
		t.Error("--max-file-size lots: no error")
	}
}
