package source

import (
	"io"
	"os"
	"syscall"
)

// pipeSize is the pipe buffer asked for git's output: with Linux's default
// 64 KiB, git and the scanner take turns on every 64 KiB of a history
// hundreds of megabytes long.
const pipeSize = 1 << 20

// fSetPipeSize is F_SETPIPE_SZ, the same on every Linux architecture.
const fSetPipeSize = 1024 + 7

// growPipe enlarges the buffer of the pipe r reads from, when it is one. It
// is only an optimisation: a refusal (pipe-max-size) changes nothing else.
func growPipe(r io.Reader) {
	f, ok := r.(*os.File)
	if !ok {
		return
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) {
		_, _, _ = syscall.Syscall(syscall.SYS_FCNTL, fd, fSetPipeSize, pipeSize)
	})
}
