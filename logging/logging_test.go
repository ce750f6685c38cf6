package logging

import (
	"bytes"
	"strings"
	"testing"
)

func TestNew(t *testing.T) {
	var b bytes.Buffer
	log, err := New(&b, "warn", "json")
	if err != nil {
		t.Fatal(err)
	}
	log.Info().Msg("hidden")
	log.Warn().Msg("shown")
	if s := b.String(); strings.Contains(s, "hidden") || !strings.Contains(s, `"message":"shown"`) {
		t.Errorf("json log: %s", s)
	}
	b.Reset()
	if log, err = New(&b, "debug", "text"); err != nil {
		t.Fatal(err)
	}
	log.Debug().Msg("plain")
	if s := b.String(); !strings.Contains(s, "plain") || strings.Contains(s, "\x1b[") {
		t.Errorf("text log off a terminal: %q", s)
	}
	for _, c := range [][2]string{{"", "text"}, {"loud", "text"}, {"info", "xml"}} {
		if _, err := New(&b, c[0], c[1]); err == nil {
			t.Errorf("level %q format %q: no error", c[0], c[1])
		}
	}
}

func TestColorOnlyOnATerminal(t *testing.T) {
	if Color(&bytes.Buffer{}) {
		t.Error("a buffer is not a terminal")
	}
}
