// Command bench measures the scanner against what git and the file system
// can deliver, on a large repository it builds from GOROOT/src:
//
//	go run ./bench [-dir DIR] [-commits N] [-runs N] [-rebuild]
//
// It prints, side by side, the scanner's wall time against
// `git cat-file --batch-all-objects --batch --unordered` (history), against
// cat of every checked-out file (dir), and its time on a 20-file staged
// change, with peak RSS and the number of findings next to the number of
// credentials it planted.
package main
