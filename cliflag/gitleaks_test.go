package cliflag

import (
	"reflect"
	"testing"
	"time"
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
		name   string
		args   []string
		target string
		want   []string
	}{
		{"detect", []string{"--no-git", "-s", "x"}, "dir", []string{"-s", "x"}},
		{"detect", []string{"-v"}, "git", []string{"-v"}},
		{"detect", []string{"--pipe", "-f", "json"}, "stdin", []string{"-f", "json"}},
		{"protect", []string{"-v"}, "git", []string{"-v", "--staged"}},
		{"protect", []string{"--staged"}, "git", []string{"--staged"}},
	}
	for _, tt := range tests {
		target, rest := GitleaksCommand(tt.name, tt.args)
		if target != tt.target || !reflect.DeepEqual(rest, tt.want) {
			t.Errorf("%s %q = %v, %q; want %v, %q", tt.name, tt.args, target, rest, tt.target, tt.want)
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

func TestSeconds(t *testing.T) {
	var d time.Duration
	s := Seconds{D: &d}
	for in, want := range map[string]time.Duration{"60": time.Minute, "1m30s": 90 * time.Second, "0": 0} {
		if err := s.Set(in); err != nil || d != want {
			t.Errorf("Set(%q) = %v, %v; want %v", in, d, err, want)
		}
	}
	for _, bad := range []string{"-1", "soon", "-2m"} {
		if err := s.Set(bad); err == nil {
			t.Errorf("Set(%q) took it", bad)
		}
	}
}

func TestSizeLimit(t *testing.T) {
	for _, c := range []struct {
		size string
		mb   int
		want int64
	}{
		{"", 0, 0}, {"1KB", 0, 1024}, {"", 2, 2 << 20}, {"1GB", 3, 3 << 20}, {"1KB", 3, 1024},
	} {
		if got, err := SizeLimit(c.size, c.mb); err != nil || got != c.want {
			t.Errorf("SizeLimit(%q, %d) = %d, %v; want %d", c.size, c.mb, got, err, c.want)
		}
	}
	if _, err := SizeLimit("big", 0); err == nil {
		t.Error("a bad size was taken")
	}
	if _, err := SizeLimit("", -1); err == nil {
		t.Error("a negative --max-target-megabytes was taken")
	}
}
