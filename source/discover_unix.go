//go:build unix

package source

import (
	"os"
	"syscall"
)

// devOf returns the device a file is on.
func devOf(fi os.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Dev)
	}
	return 0
}

// ownedByUser reports whether the effective user owns the file, as git's
// safe.directory check requires (unless configured otherwise, which git
// then decides).
func ownedByUser(fi os.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Geteuid()
}
