package scanconfig

import (
	"flag"
	"io"
	"reflect"
	"testing"
)

func TestBind(t *testing.T) {
	for _, args := range [][]string{
		{"--config", "c.toml", "--baseline", "b.json", "--enable-rule", "r1", "--enable-rule", "r2"},
		{"-c", "c.toml", "-b", "b.json", "--enable-rule", "r1", "--enable-rule", "r2"},
		{"-c", "c.toml", "--baseline-path", "b.json", "--enable-rule", "r1", "--enable-rule", "r2"},
	} {
		var o Options
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		o.Bind(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		want := Options{Config: "c.toml", Baseline: "b.json", EnableRules: []string{"r1", "r2"}}
		if !reflect.DeepEqual(o, want) {
			t.Errorf("%q: %+v, want %+v", args, o, want)
		}
	}
}
