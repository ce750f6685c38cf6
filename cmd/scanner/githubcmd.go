package main

import "context"

// runGitHub sweeps the repositories of a GitHub organisation or user.
// (Being built: see issue 6.)
func runGitHub(ctx context.Context, args []string, e env) (int, error) {
	return exitError, usageError{"github: not available in this build"}
}
