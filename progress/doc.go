// Package progress shows how a long scan is going on a terminal: blobs and
// bytes scanned, the rate and the time elapsed, on one line of standard
// error that it repaints in place ("\r", then clear to the end of the line)
// and clears when the scan ends.
//
// It paints nothing when its writer is not a terminal (a file, a pipe, CI
// logs) or when it is disabled, so that logs and reports stay clean. It reads
// the counts by polling a function the caller gives, so the scanning
// goroutines only add to atomic counters (see Counter). It prints numbers
// only, never a path or other text from the scanned content.
//
// It imports nothing of the scanner.
package progress
