package source

import (
	"runtime"
	"testing"
)

func TestYieldCoreIsSharedAndRestored(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	restore1 := yieldCore()
	restore2 := yieldCore() // a second walk at once
	if got := runtime.GOMAXPROCS(0); got != 2 {
		t.Errorf("while walking: GOMAXPROCS %d, want 2", got)
	}
	restore1()
	restore1() // a second call changes nothing
	if got := runtime.GOMAXPROCS(0); got != 2 {
		t.Errorf("one walk still running: GOMAXPROCS %d, want 2", got)
	}
	restore2()
	if got := runtime.GOMAXPROCS(0); got != 3 {
		t.Errorf("after: GOMAXPROCS %d, want 3 back", got)
	}
	runtime.GOMAXPROCS(1)
	restore := yieldCore()
	if got := runtime.GOMAXPROCS(0); got != 1 {
		t.Errorf("on one core: GOMAXPROCS %d, want 1 kept", got)
	}
	restore()
	if got := runtime.GOMAXPROCS(0); got != 1 {
		t.Errorf("on one core, after: GOMAXPROCS %d, want 1", got)
	}
}
