package source

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf16"

	"github.com/scanner-dev/scanner/finding"
)

// encodeUTF16 writes s as UTF-16 in the given order, with a byte-order mark
// when bom is set, as PowerShell's Out-File does.
func encodeUTF16(s string, order binary.ByteOrder, bom bool) []byte {
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xfeff}, units...)
	}
	out := make([]byte, 2*len(units))
	for i, u := range units {
		order.PutUint16(out[2*i:], u)
	}
	return out
}

const envText = "# written by PowerShell\r\nAPP_ENV=production\r\nSUPPORT_TOKEN=tok-😀-é-value\r\n"

func TestUTF16Text(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want binary.ByteOrder
	}{
		{"LE with mark", encodeUTF16(envText, binary.LittleEndian, true), binary.LittleEndian},
		{"BE with mark", encodeUTF16(envText, binary.BigEndian, true), binary.BigEndian},
		{"LE without mark", encodeUTF16(envText, binary.LittleEndian, false), binary.LittleEndian},
		{"BE without mark", encodeUTF16(envText, binary.BigEndian, false), binary.BigEndian},
		{"LE without mark, starting with CJK", encodeUTF16("# 配置文件\r\n"+envText, binary.LittleEndian, false), binary.LittleEndian},
		{"BE without mark, starting with CJK", encodeUTF16("# 配置文件\r\n"+envText, binary.BigEndian, false), binary.BigEndian},
		{"UTF-8", []byte(envText), nil},
		{"a mark and no NUL (invalid UTF-8)", []byte("\xff\xfe start \xc3\x28 end"), nil},
		{"ELF-like header", append([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0}, make([]byte, 40)...), nil},
		{"UTF-32LE mark", []byte{0xff, 0xfe, 0, 0, 'a', 0, 0, 0}, nil},
		{"NUL runs (an image)", []byte{0, 0, 1, 0, 1, 0, 32, 32, 0, 0, 0, 0}, nil},
		{"control codes between NULs", []byte{'M', 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0}, nil},
		{"one byte", []byte{0xff}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := utf16Text(c.data)
			if ok != (c.want != nil) || ok && got != c.want {
				t.Fatalf("utf16Text = %v, %v; want %v", got, ok, c.want)
			}
		})
	}
}

func TestUTF16ReaderDecodesAcrossReads(t *testing.T) {
	for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		data := encodeUTF16(envText, order, true)
		dec := &utf16Reader{r: iotest.OneByteReader(bytes.NewReader(data)), order: order, first: true}
		got, err := io.ReadAll(dec)
		if err != nil || string(got) != envText {
			t.Fatalf("%v: got %q, %v", order, got, err)
		}
	}
	// an odd trailing byte and an unpaired surrogate
	data := append(encodeUTF16("ab", binary.LittleEndian, false), 0x00, 0xd8, 'c', 0, 'x')
	got, _ := io.ReadAll(&utf16Reader{r: bytes.NewReader(data), order: binary.LittleEndian, first: true})
	if string(got) != "ab\uFFFDc" {
		t.Fatalf("got %q", got)
	}
}

func TestDirDecodesUTF16Files(t *testing.T) {
	root := t.TempDir()
	files := map[string][]byte{
		"win/.env":        encodeUTF16(envText, binary.LittleEndian, true),
		"win/be.env":      encodeUTF16(envText, binary.BigEndian, true),
		"win/nobom.env":   encodeUTF16(envText, binary.LittleEndian, false),
		"img/blob.bin":    {0, 0, 1, 0, 1, 0, 32, 32, 0, 0, 0, 0},
		"plain/utf8.conf": []byte(envText),
	}
	for p, b := range files {
		if err := os.MkdirAll(filepath.Join(root, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, p), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d := newDir(t, root)
	chunks := collect(t, d)
	for _, p := range []string{"win/.env", "win/be.env", "win/nobom.env", "plain/utf8.conf"} {
		if cs := chunks[p]; len(cs) != 1 || string(cs[0].Data) != envText || cs[0].Line != 1 {
			t.Errorf("%s: %d chunks, first %q", p, len(cs), firstData(cs))
		}
	}
	if _, ok := chunks["img/blob.bin"]; ok {
		t.Error("binary file scanned")
	}
	if st := d.Stats(); st.Blobs != 4 || st.SkippedBinary != 1 {
		t.Errorf("stats %+v", st)
	}
}

func firstData(cs []finding.Chunk) string {
	if len(cs) == 0 {
		return ""
	}
	return string(cs[0].Data)
}

// A UTF-16 file longer than a window: the decoded text is cut into windows
// whose Line counts lines of the decoded text.
func TestUTF16WindowsKeepLineNumbers(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 17 MiB file")
	}
	var b strings.Builder
	line := strings.Repeat("filler text of a long log line, ", 3) + "\r\n"
	n := 0
	for b.Len() < WindowSize+WindowSize/4 {
		b.WriteString(line)
		n++
	}
	b.WriteString("MARKER=here\r\n")
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "big.log"), encodeUTF16(b.String(), binary.LittleEndian, true), 0o644); err != nil {
		t.Fatal(err)
	}
	chunks := collect(t, newDir(t, root))["big.log"]
	if len(chunks) < 2 {
		t.Fatalf("want several windows, got %d", len(chunks))
	}
	found := 0
	for _, c := range chunks { // workers deliver windows in any order
		if i := bytes.Index(c.Data, []byte("MARKER=here")); i >= 0 {
			found++
			if got := c.Line + bytes.Count(c.Data[:i], []byte{'\n'}); got != n+1 || c.Line == 1 {
				t.Fatalf("marker at line %d (window from line %d), want %d", got, c.Line, n+1)
			}
		}
	}
	if found != 1 {
		t.Fatalf("marker in %d windows", found)
	}
}

func TestHistoryDecodesUTF16Blobs(t *testing.T) {
	r := newTestRepo(t)
	r.write("deploy/.env", string(encodeUTF16(envText, binary.LittleEndian, true)))
	r.commit("env from PowerShell", "2024-01-01T10:00:00Z", "Ada Dev <ada@example.com>")
	h := r.open().History()
	chunks := collect(t, h)
	blob := r.git("rev-parse", "HEAD:deploy/.env")
	if cs := chunks[blob]; len(cs) != 1 || string(cs[0].Data) != envText {
		t.Fatalf("blob chunks %d, first %q", len(cs), firstData(cs))
	}
	if st := h.Stats(); st.SkippedBinary != 0 {
		t.Fatalf("stats %+v", st)
	}
}
