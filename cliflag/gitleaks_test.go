package cliflag

import (
	"reflect"
	"testing"
)

func TestLogOpts(t *testing.T) {
	for in, want := range map[string]string{"": "", "--all": "", "a..b": "a..b", "--all a...b": "a...b"} {
		if got, err := LogOpts(in); err != nil || got != want {
			t.Errorf("LogOpts(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"a..b c..d", "--since=1.week", "-p"} {
		if _, err := LogOpts(in); err == nil {
			t.Errorf("LogOpts(%q) took it", in)
		}
	}
}

func TestGitleaksCommand(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantDir bool
		want    []string
	}{
		{"detect", []string{"--no-git", "-s", "x"}, true, []string{"-s", "x"}},
		{"detect", []string{"-v"}, false, []string{"-v"}},
		{"protect", []string{"-v"}, false, []string{"-v", "--staged"}},
		{"protect", []string{"--staged"}, false, []string{"--staged"}},
	}
	for _, tt := range tests {
		dir, rest := GitleaksCommand(tt.name, tt.args)
		if dir != tt.wantDir || !reflect.DeepEqual(rest, tt.want) {
			t.Errorf("%s %q = %v, %q; want %v, %q", tt.name, tt.args, dir, rest, tt.wantDir, tt.want)
		}
	}
}

func TestFindMode(t *testing.T) {
	name, rest, ok := FindMode([]string{".", "--verify-purged=r.json", "-v"}, "pre-receive", "verify-purged")
	if !ok || name != "verify-purged" || !reflect.DeepEqual(rest, []string{"r.json", ".", "-v"}) {
		t.Errorf("got %q %q %v", name, rest, ok)
	}
	if _, _, ok := FindMode([]string{"--", "--pre-receive"}, "pre-receive"); ok {
		t.Error("a mode after -- was taken")
	}
}
