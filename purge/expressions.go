package purge

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
)

// ExpressionsName is the file WriteExpressions is given by default, in the
// repository's git directory: out of the work tree, so never committed.
const ExpressionsName = "scanner-purge-expressions.txt"

// Expressions returns the number of literals the plan removes.
func (p *Plan) Expressions() int { return len(p.replace) }

// WriteExpressions writes the plan's literals as a `git filter-repo
// --replace-text` file, one `literal:VALUE==>***REMOVED-RULE***` line each,
// longest first (so that a value inside another is not replaced first). The
// file is created with mode 0600 (an existing one is truncated and set to
// 0600; a symbolic link is refused): it holds the raw credentials.
func (p *Plan) WriteExpressions(path string) error {
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("expressions file %s is a symbolic link; refusing to write credentials through it", path)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("expressions file: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("expressions file: %w", err)
	}
	err = f.Chmod(0o600)
	if err == nil {
		_, err = f.WriteString(p.expressionLines())
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write expressions file %s: %w", path, err)
	}
	return nil
}

// expressionLines renders the literals; the only place values are revealed.
func (p *Plan) expressionLines() string {
	reps := make([]replacement, 0, len(p.replace))
	for _, r := range p.replace {
		reps = append(reps, r)
	}
	sort.Slice(reps, func(i, j int) bool {
		a, b := reps[i].value.Reveal(), reps[j].value.Reveal()
		if len(a) != len(b) {
			return len(a) > len(b)
		}
		return a < b
	})
	var b strings.Builder
	for _, r := range reps {
		fmt.Fprintf(&b, "literal:%s==>***REMOVED-%s***\n", r.value.Reveal(), r.rule)
	}
	return b.String()
}
