package pipeline_test

import (
	"flag"
	"io"
	"testing"
	"time"

	"github.com/scanner-dev/scanner/pipeline"
)

func TestWatchBind(t *testing.T) {
	var w pipeline.Watch
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	w.Bind(fs)
	if err := fs.Parse([]string{"--no-progress", "--explain", "-v", "--timeout", "90"}); err != nil {
		t.Fatal(err)
	}
	if want := (pipeline.Watch{NoProgress: true, Explain: true, Verbose: true, Timeout: 90 * time.Second}); w != want {
		t.Errorf("%+v, want %+v", w, want)
	}
}
