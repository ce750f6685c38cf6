package purge

import (
	"path/filepath"
	"testing"
)

func TestExpressionsPath(t *testing.T) {
	if got, err := ExpressionsPath("", "/r/.git"); err != nil || got != filepath.Join("/r/.git", ExpressionsName) {
		t.Errorf("default: %q, %v", got, err)
	}
	if got, err := ExpressionsPath("x.txt", "/r/.git"); err != nil || !filepath.IsAbs(got) || filepath.Base(got) != "x.txt" {
		t.Errorf("given: %q, %v", got, err)
	}
	if _, err := ExpressionsPath("", ""); err == nil {
		t.Error("no git directory and no flag: want an error")
	}
}
