package main

import "context"

// runAction is the GitHub Action's entry point. (Being built: see issue 5.)
func runAction(ctx context.Context, args []string, e env) (int, error) {
	return exitError, usageError{"action: not available in this build"}
}
