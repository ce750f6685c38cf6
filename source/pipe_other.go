//go:build !linux

package source

import "io"

// growPipe does nothing where pipe buffers cannot be resized.
func growPipe(io.Reader) {}
