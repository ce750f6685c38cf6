package source

import "errors"

// openGoGit opens a repository with go-git, for machines without a git
// binary.
func openGoGit(path string) (backend, error) {
	return nil, errors.New("no git binary on PATH: install git to scan history (" + path + ")")
}
