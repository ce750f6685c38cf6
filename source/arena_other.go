//go:build !linux

package source

// arenaAlloc returns nil: the pool's buffers come from the Go heap.
func arenaAlloc(int) []byte { return nil }
