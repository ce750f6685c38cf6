package purge

import (
	"flag"
	"io"
	"testing"
)

func TestSettingsBind(t *testing.T) {
	bind := func(plan bool, args ...string) (Settings, error) {
		var s Settings
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		s.Bind(fs, plan)
		return s, fs.Parse(args)
	}
	s, err := bind(true, "--config", "c.toml", "--expressions", "x.txt", "--clone-dir", "c.git")
	want := Settings{Repo: ".", Config: "c.toml", Print: PrintOptions{Expressions: "x.txt", CloneDir: "c.git"}}
	if err != nil || s != want {
		t.Errorf("purge-plan: %+v, %v; want %+v", s, err, want)
	}
	if _, err := bind(false, "--expressions", "x.txt"); err == nil {
		t.Error("verify-purged took --expressions")
	}
}
