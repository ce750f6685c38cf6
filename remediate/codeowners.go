package remediate

import (
	"bufio"
	"errors"
	"io/fs"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// CodeOwners is a parsed CODEOWNERS file.
type CodeOwners struct {
	Path  string // where it was found, relative to the repository root
	rules []ownerRule
}

type ownerRule struct {
	globs  []string
	owners []string
}

// codeOwnersPaths are the places GitHub looks, in its order: the first found wins.
var codeOwnersPaths = []string{".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"}

// LoadCodeOwners reads the CODEOWNERS file of the tree in fsys as GitHub
// does. A tree without one gives an empty CodeOwners and no error.
func LoadCodeOwners(fsys fs.FS) (*CodeOwners, error) {
	for _, p := range codeOwnersPaths {
		data, err := fs.ReadFile(fsys, p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		co := ParseCodeOwners(string(data))
		co.Path = p
		return co, nil
	}
	return &CodeOwners{}, nil
}

// ParseCodeOwners parses CODEOWNERS text: one pattern and its owners per
// line, "#" comments; a pattern with no owners makes its paths unowned.
func ParseCodeOwners(text string) *CodeOwners {
	co := &CodeOwners{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := stripComment(sc.Text())
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		pat := strings.ReplaceAll(fields[0], `\#`, "#")
		co.rules = append(co.rules, ownerRule{globs: ownerGlobs(pat), owners: fields[1:]})
	}
	return co
}

// stripComment drops a "#" comment, keeping an escaped "\#".
func stripComment(line string) string {
	for i := 0; i < len(line); i++ {
		if line[i] == '#' && (i == 0 || line[i-1] != '\\') {
			return line[:i]
		}
	}
	return line
}

// ownerGlobs turns a CODEOWNERS pattern into doublestar globs, following
// GitHub's documented rules: a leading "/" anchors at the root; a pattern
// with no other "/" matches at any depth ("*.js", "apps/"); a trailing "/"
// means everything under that directory; a plain name matches a file or
// everything under a directory of that name; "docs/*" does not reach into
// subdirectories.
func ownerGlobs(p string) []string {
	anchored := strings.HasPrefix(p, "/")
	p = strings.TrimPrefix(p, "/")
	dir := strings.HasSuffix(p, "/")
	p = strings.TrimSuffix(p, "/")
	if p == "" {
		return []string{"**"}
	}
	if !anchored && !strings.Contains(p, "/") {
		p = "**/" + p
	}
	switch {
	case dir:
		return []string{p + "/**"}
	case strings.HasSuffix(p, "/*") || strings.HasSuffix(p, "/**"):
		return []string{p}
	}
	return []string{p, p + "/**"}
}

// Owners returns the owners of path (slash-separated, relative to the
// root): those of the last matching pattern, or none.
func (co *CodeOwners) Owners(path string) []string {
	if co == nil {
		return nil
	}
	path = strings.TrimPrefix(path, "/")
	for i := len(co.rules) - 1; i >= 0; i-- {
		for _, g := range co.rules[i].globs {
			if ok, _ := doublestar.Match(g, path); ok {
				return co.rules[i].owners
			}
		}
	}
	return nil
}
