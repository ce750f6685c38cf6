//go:build !unix

package source

import "os"

// mapFile reads a file whole where it cannot be mapped.
func mapFile(path string) ([]byte, func(), error) {
	data, err := os.ReadFile(path)
	return data, func() {}, err
}
