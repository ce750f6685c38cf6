package cliflag

import (
	"flag"
	"io"
	"testing"
)

func TestValues(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var list StringList
	workers := 4
	fs.Var(&list, "id", "")
	fs.Var(PositiveInt{&workers}, "workers", "")
	fs.Var(Redact{}, "redact", "")
	if err := fs.Parse([]string{"--id", "a", "--id", "b", "--workers", "2", "--redact", "--redact=20%"}); err != nil {
		t.Fatal(err)
	}
	if list.String() != "a,b" || workers != 2 {
		t.Errorf("list %q, workers %d", list.String(), workers)
	}
	for _, bad := range [][]string{{"--workers", "0"}, {"--workers", "x"}, {"--redact=0"}, {"--redact=false"}, {"--redact=101"}} {
		if err := fs.Parse(bad); err == nil {
			t.Errorf("%q taken", bad)
		}
	}
	if (PositiveInt{}).String() != "" {
		t.Error("a zero PositiveInt prints a value")
	}
}
