package pipeline

import (
	"runtime/debug"
	"testing"
)

func TestLowerGCIsSharedAndRestored(t *testing.T) {
	t.Setenv("GOGC", "")
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	restore1 := lowerGC()
	restore2 := lowerGC() // a second scan at once
	if got := debug.SetGCPercent(historyGCPercent); got != historyGCPercent {
		t.Errorf("while reading: GC at %d%%, want %d%%", got, historyGCPercent)
	}
	restore1()
	if got := debug.SetGCPercent(historyGCPercent); got != historyGCPercent {
		t.Errorf("one scan still reading: GC at %d%%, want %d%%", got, historyGCPercent)
	}
	restore2()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("after: GC at %d%%, want 100%% back", got)
	}
	t.Setenv("GOGC", "300")
	debug.SetGCPercent(300)
	lowerGC()()
	if got := debug.SetGCPercent(100); got != 300 {
		t.Errorf("with GOGC set: GC at %d%%, want the user's 300%%", got)
	}
}
