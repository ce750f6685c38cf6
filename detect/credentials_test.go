package detect

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
)

func randomHex(t *testing.T, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func TestReadCredentials(t *testing.T) {
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	d := New(set)
	h := randomHex(t, 16)
	id := h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
	key := randomHex(t, 32)
	in := "# a comment\n\n" + id + ":" + key + "\nnot a credential\n"
	var skipped []int
	noReport := func(io.Reader) ([]finding.Finding, error) { return nil, errors.New("not a report") }
	fs, err := d.ReadCredentials(strings.NewReader(in), noReport, func(n int) { skipped = append(skipped, n) })
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].RuleID != "crisp-token" || fs[0].Line != 3 || fs[0].Path != "stdin" || len(fs[0].Parts) != 2 {
		t.Fatalf("findings = %+v", fs)
	}
	if fmt.Sprint(skipped) != "[4]" {
		t.Errorf("skipped = %v, want [4]", skipped)
	}
	if strings.Contains(fmt.Sprint(fs[0]), key) {
		t.Error("a finding prints its raw key")
	}
	called := false
	_, _ = d.ReadCredentials(strings.NewReader("  {\"findings\": []}"), func(io.Reader) ([]finding.Finding, error) { called = true; return nil, nil }, nil)
	if !called {
		t.Error("a JSON report was not handed to readReport")
	}
}
