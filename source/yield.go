package source

import (
	"runtime"
	"sync"
)

// A whole-history walk beside the in-process read is the run's critical
// path: git log is one thread, and the read's goroutines, as many as there
// are cores, took most of the CPU from it (git/git's walk took 10-12 s
// beside the read against 7-8 s alone). While that walk runs the process
// gives up one core (GOMAXPROCS one lower), so that git log has one to
// itself; the read gets it back when the walk ends.
var yielded struct {
	sync.Mutex
	users int
	old   int
}

// yieldCore lowers GOMAXPROCS by one, when it is above one, until the
// returned func is called. Concurrent walks (a sweep's) share one lowering.
func yieldCore() func() {
	yielded.Lock()
	defer yielded.Unlock()
	if yielded.users == 0 {
		yielded.old = runtime.GOMAXPROCS(0)
		if yielded.old > 1 {
			runtime.GOMAXPROCS(yielded.old - 1)
		}
	}
	yielded.users++
	var once sync.Once
	return func() {
		once.Do(func() {
			yielded.Lock()
			defer yielded.Unlock()
			if yielded.users--; yielded.users == 0 && yielded.old > 1 {
				runtime.GOMAXPROCS(yielded.old)
			}
		})
	}
}
