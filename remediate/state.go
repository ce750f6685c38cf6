package remediate

import (
	"errors"
	"os"
	"path/filepath"
)

// DefaultStateDir is where remediation keeps its state (the incident
// ledger) unless told otherwise, never inside the scanned repository:
// $SCANNER_STATE_DIR when set, else $XDG_STATE_HOME/scanner, else
// ~/.local/state/scanner (the XDG base directory default).
func DefaultStateDir() (string, error) {
	if d := os.Getenv("SCANNER_STATE_DIR"); d != "" {
		return d, nil
	}
	if d := os.Getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "scanner"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return "", errors.New("no state directory: set SCANNER_STATE_DIR or give --ledger")
	}
	return filepath.Join(home, ".local", "state", "scanner"), nil
}

// DefaultLedger is the ledger's default path: incidents.db in
// DefaultStateDir.
func DefaultLedger() (string, error) {
	dir, err := DefaultStateDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "incidents.db"), nil
}
