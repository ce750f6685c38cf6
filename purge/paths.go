package purge

import (
	"errors"
	"path/filepath"
)

// ExpressionsPath is where a plan writes its expressions file: given (the
// --expressions flag) made absolute, else ExpressionsName in the
// repository's git directory gitDir (out of the work tree: never committed
// by accident).
func ExpressionsPath(given, gitDir string) (string, error) {
	if given != "" {
		return filepath.Abs(given)
	}
	if gitDir == "" {
		return "", errors.New("cannot tell the repository's git directory: give --expressions FILE")
	}
	return filepath.Join(gitDir, ExpressionsName), nil
}
