package corpus

import (
	"encoding/binary"
	"testing"
)

// encodings are the ways a form's file is written in the directory test:
// as is, and as Windows tools write text (CRLF; UTF-16LE with a mark, as
// PowerShell does; UTF-16BE without one).
var encodings = []struct {
	name string
	enc  func(string) []byte
}{
	{"utf-8", func(s string) []byte { return []byte(s) }},
	{"utf-16le", func(s string) []byte { return utf16Text(crlf(s), binary.LittleEndian, true) }},
	{"utf-8 crlf", func(s string) []byte { return []byte(crlf(s)) }},
	{"utf-16be", func(s string) []byte { return utf16Text(s, binary.BigEndian, false) }},
}

// TestDirEveryFormAndTrap scans a directory holding every form, each in one
// of the encodings in turn, and every trap.
func TestDirEveryFormAndTrap(t *testing.T) {
	root := t.TempDir()
	g := newGen(11)
	var want []placed
	for n, fm := range allForms() {
		if _, pending := pendingPairing[fm.name]; pending {
			continue
		}
		text, plants := fm.render(g)
		path := "forms/" + fm.path
		writeFile(t, root, path, encodings[n%len(encodings)].enc(text))
		for _, p := range plants {
			want = append(want, placed{plant: p, path: path, line: p.line(text)})
		}
	}
	for _, tr := range allTraps() {
		if _, pending := pendingPairing[tr.name]; !pending {
			writeFile(t, root, "traps/"+tr.path, []byte(tr.render(g)))
		}
	}
	checkPlaced(t, want, scan(t, "dir", root))
}
