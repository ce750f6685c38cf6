package corpus

import (
	"encoding/binary"
	"testing"
)

// TestStagedUTF16 is the pre-commit path: an .env saved by PowerShell
// (UTF-16LE, CRLF) and staged is found before it is committed.
func TestStagedUTF16(t *testing.T) {
	r := newGitRepo(t)
	r.write("README.md", []byte("# bridge\n"))
	r.commit("init")
	g := newGen(5)
	tok := g.kustomer()
	i, k := g.uuid(), g.hex64()
	text := "# saved from PowerShell\nKUSTOMER_API_KEY=" + tok + "\nCRISP_IDENTIFIER=" + i + "\nCRISP_KEY=" + k + "\n"
	r.write("deploy/.env", utf16Text(crlf(text), binary.LittleEndian, true))
	r.git("add", "deploy/.env")
	var want []placed
	for _, p := range []plant{kjwt(tok), pair(i, k)} {
		want = append(want, placed{plant: p, path: "deploy/.env", line: p.line(text)})
	}
	checkPlaced(t, want, scan(t, "git", r.dir, "--staged"))
}
