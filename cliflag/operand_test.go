package cliflag

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSourceAndOperand(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "."},
		{[]string{"repo"}, "repo"},
		{[]string{"--source", "src"}, "src"},
		{[]string{"-s", "src"}, "src"},
		{[]string{"-s", "src", "repo"}, "repo"},
	} {
		var source string
		fs := New("git", "[PATH]", io.Discard)
		Source(fs, &source, "the repository path")
		pos, err := Parse(fs, tt.args)
		if err != nil {
			t.Fatal(err)
		}
		if got := Operand(pos, source, "."); got != tt.want {
			t.Errorf("%q: %q, want %q", tt.args, got, tt.want)
		}
	}
}

func TestInput(t *testing.T) {
	stdin := strings.NewReader("from stdin")
	path := filepath.Join(t.TempDir(), "r.json")
	if err := os.WriteFile(path, []byte("from the file"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		pos  []string
		want string
	}{{nil, "from stdin"}, {[]string{"-"}, ""} /* the same stdin, read already */, {[]string{path}, "from the file"}} {
		in, err := Input(tt.pos, stdin)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(in)
		in.Close()
		if string(b) != tt.want {
			t.Errorf("%q: read %q, want %q", tt.pos, b, tt.want)
		}
	}
	if _, err := Input([]string{path + ".missing"}, stdin); err == nil || !strings.Contains(err.Error(), "r.json.missing") {
		t.Errorf("a missing file: %v", err)
	}
}
