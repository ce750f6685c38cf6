package scanconfig

import (
	"os"
	"path/filepath"
	"testing"
)

func TestServerRules(t *testing.T) {
	def, err := ServerRules("")
	if err != nil || len(def.Rules) == 0 {
		t.Fatalf("built-in rules: %d rules, %v", len(def.Rules), err)
	}
	path := filepath.Join(t.TempDir(), "c.toml")
	if err := os.WriteFile(path, []byte("[extend]\nuseDefault = false\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	none, err := ServerRules(path)
	if err != nil || len(none.Rules) != 0 {
		t.Fatalf("a configuration without the defaults: %d rules, %v", len(none.Rules), err)
	}
	if _, err := ServerRules(filepath.Join(t.TempDir(), "missing.toml")); err == nil {
		t.Fatal("a missing configuration file loaded")
	}
}
