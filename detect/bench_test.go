package detect

import (
	"bytes"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
)

// benchCorpus reads up to limit bytes of Go source from GOROOT/src as the
// realistic text the detector spends its life on: the files of one window
// each (1 MiB, a typical mix of small and large blobs).
func benchCorpus(b *testing.B, limit int) [][]byte {
	b.Helper()
	out0, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		b.Skipf("go env GOROOT: %v", err)
	}
	root := filepath.Join(strings.TrimSpace(string(out0)), "src")
	var out [][]byte
	var cur bytes.Buffer
	total := 0
	err = filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil || total >= limit {
			return filepath.SkipDir
		}
		if !e.Type().IsRegular() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil || bytes.IndexByte(data, 0) >= 0 {
			return nil
		}
		cur.Write(data)
		total += len(data)
		if cur.Len() >= 1<<20 {
			out = append(out, bytes.Clone(cur.Bytes()))
			cur.Reset()
		}
		return nil
	})
	if err != nil && err != filepath.SkipDir {
		b.Fatal(err)
	}
	if cur.Len() > 0 {
		out = append(out, bytes.Clone(cur.Bytes()))
	}
	if total == 0 {
		b.Skip("no Go source under GOROOT/src")
	}
	return out
}

// withCandidates returns the windows with text that makes every engine work:
// a Crisp pair near the word crisp, a Kustomer key, Basic and Bearer headers,
// and look-alikes that are not credentials, every `every` bytes.
func withCandidates(b *testing.B, windows [][]byte, every int) [][]byte {
	fx := rules.NewFixture(rand.New(rand.NewPCG(7, 7)))
	tmpl := "\n// crisp chat settings\nCRISP_IDENTIFIER={{.ID}}\nCRISP_KEY={{.Key}}\n" +
		"kustomer_api_key = \"{{.KustomerKey}}\"\n" +
		"req.Header.Set(\"Authorization\", \"Bearer {{.Token}}\")\n" +
		"url := \"https://{{.User}}:{{.Password}}@example.com/\"\n" +
		"// token: see docs; key = os.Getenv(\"KEY\"); crisp_website_id = \"{{.UUID}}\"\n"
	s, err := fx.Render("bench", tmpl)
	if err != nil {
		b.Fatal(err)
	}
	var out [][]byte
	for _, w := range windows {
		var buf bytes.Buffer
		for len(w) > 0 {
			n := min(len(w), every)
			if i := bytes.IndexByte(w[n:], '\n'); i >= 0 && n < len(w) {
				n += i + 1
			} else if n < len(w) {
				n = len(w)
			}
			buf.Write(w[:n])
			buf.WriteString(s)
			w = w[n:]
		}
		out = append(out, buf.Bytes())
	}
	return out
}

// BenchmarkDetect reports the detector's throughput (MB/s on one core) over
// GOROOT's Go source in 1 MiB windows: as is, with candidates once per
// window (every engine runs on every window), and with candidates every
// 16 KiB (dense: thousands of findings). Run with -cpu 1 for MB/s per core.
func BenchmarkDetect(b *testing.B) {
	d := New(rules.MustDefault())
	plain := benchCorpus(b, 64<<20)
	cases := []struct {
		name string
		data [][]byte
	}{
		{"source", plain},
		{"candidates-per-MiB", withCandidates(b, plain, 1<<20)},
		{"candidates-per-16KiB", withCandidates(b, plain, 16<<10)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			size := 0
			for _, w := range c.data {
				size += len(w)
			}
			b.SetBytes(int64(size))
			found := 0
			for b.Loop() {
				found = 0
				for _, w := range c.data {
					found += len(d.Detect(finding.Chunk{ID: "bench", Data: w, Line: 1}))
				}
			}
			b.ReportMetric(float64(found), "findings")
		})
	}
}
