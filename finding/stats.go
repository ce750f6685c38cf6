package finding

import "time"

// Stats counts what a run did.
type Stats struct {
	Commits       int64          // commits walked
	Blobs         int64          // distinct blobs or files scanned
	Bytes         int64          // bytes scanned
	SkippedBinary int64          // blobs or files not scanned because they hold binary data
	SkippedLarge  int64          // blobs or files not scanned because of --max-file-size
	Unreachable   int64          // blobs with findings that no commit reaches (dropped)
	Findings      int            // findings reported
	Suppressed    map[string]int // findings hidden, by reason (inline, config, baseline)
	Warnings      int            // problems the scan went past
	Duration      time.Duration  // wall time of the run
}
