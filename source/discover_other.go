//go:build !unix

package source

import "os"

// devOf returns 0: the platform does not say.
func devOf(os.FileInfo) uint64 { return 0 }

// ownedByUser reports false: without owners to compare, git decides
// (OpenRepo asks it).
func ownedByUser(os.FileInfo) bool { return false }
