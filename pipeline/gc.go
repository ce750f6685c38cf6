package pipeline

import (
	"os"
	"runtime/debug"
	"sync"
)

// historyGCPercent is the garbage collector's target while a whole history
// is read. The read keeps some 100 MB live (pack headers and index, delta
// bases, blob buffers), nearly all of it byte slices the collector does not
// scan, so collecting at 25% growth instead of 100% costs little CPU and
// keeps git/git's scan at 146 MiB instead of 195-205 MiB. GOGC, when
// set, wins.
const historyGCPercent = 25

var gcState struct {
	sync.Mutex
	users int
	old   int
}

// lowerGC lowers the collector's target until the returned func is called;
// concurrent scans (a sweep's) share one lowering.
func lowerGC() func() {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	gcState.Lock()
	if gcState.users == 0 {
		gcState.old = debug.SetGCPercent(historyGCPercent)
	}
	gcState.users++
	gcState.Unlock()
	return func() {
		gcState.Lock()
		if gcState.users--; gcState.users == 0 {
			debug.SetGCPercent(gcState.old)
		}
		gcState.Unlock()
	}
}
