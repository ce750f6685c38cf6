package detect

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
)

// lockedBuffer is a bytes.Buffer the test can read while Detect writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestExplainSaysWhyAndNeverShowsValues(t *testing.T) {
	fx := fixture(t)
	text := render(t, fx, `# crisp
CRISP_WEBSITE_ID={{.WebsiteID}}
CRISP_IDENTIFIER={{.ID}}
CRISP_KEY={{.Key}}
x-request-id: {{.UUID}}
sha256: {{.Hex}}
`)
	d := New(rules.MustDefault())
	var out lockedBuffer
	d.SetExplain(&out)
	fs := d.Detect(finding.Chunk{ID: "blob1", Data: text, Line: 10, Locations: []finding.Location{{Path: "deploy/.env"}}})
	if len(fs) != 1 {
		t.Fatalf("%d findings, want 1", len(fs))
	}
	got := out.String()
	for _, raw := range []string{fx.ID, fx.Key, fx.WebsiteID, fx.UUID, fx.Hex} {
		if strings.Contains(got, raw) {
			t.Fatalf("the trace holds a raw value:\n%s", got)
		}
	}
	for _, want := range []string{
		"explain crisp deploy/.env:12: pair identifier",        // path and line
		`label "CRISP_IDENTIFIER"`,                             // the label of each value
		"in block: structure:block=+150 identifier_named=+200", // the structure and the terms by name
		"-> paired",
		"not a candidate: website id",
		"not a candidate: record id",
		"not a candidate: digest or signature",
		"-> reported",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("trace lacks %q:\n%s", want, got)
		}
	}
}

func TestExplainRejections(t *testing.T) {
	fx := fixture(t)
	text := render(t, fx, "# crisp\nCRISP_PROD_ID={{.ID}}\nCRISP_DEV_ID={{.ID2}}\n{{.UUID}}\nCRISP_PROD_KEY={{.Key}}\n")
	d := New(rules.MustDefault())
	var out lockedBuffer
	d.SetExplain(&out)
	d.Detect(finding.Chunk{ID: "c", Data: text, Line: 1})
	if got := out.String(); !strings.Contains(got, "rejected: names disagree (dev / prod)") ||
		!strings.Contains(got, "rejected: the key paired better elsewhere") ||
		!strings.Contains(got, "other_qualifier=-150") {
		t.Errorf("trace does not explain the losing pair:\n%s", got)
	}
}

// TestExplainConcurrent runs Detect from several goroutines with the trace
// on: lines must not interleave (run with -race).
func TestExplainConcurrent(t *testing.T) {
	fx := fixture(t)
	text := render(t, fx, "# crisp\nCRISP_IDENTIFIER={{.ID}}\nCRISP_KEY={{.Key}}\n")
	d := New(rules.MustDefault())
	var out lockedBuffer
	d.SetExplain(&out)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				d.Detect(finding.Chunk{ID: "c", Data: text, Line: 1})
			}
		}()
	}
	wg.Wait()
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if !strings.HasPrefix(line, "explain crisp c:") {
			t.Fatalf("interleaved or malformed line %q", line)
		}
	}
}

func TestWebsiteIDsCollectedTreeWide(t *testing.T) {
	fx := fixture(t)
	d := New(rules.MustDefault())
	chunks := []string{
		// the chatbox snippet, alone in a page
		`<script>window.$crisp=[];window.CRISP_WEBSITE_ID="{{.WebsiteID}}";(function(){s.src="https://client.crisp.chat/l.js";})();</script>`,
		// a config with no token near it
		"crisp:\n  website_id: {{.UUID}}\n",
		// the same id again, and an identifier that is not a website id
		"CRISP_WEBSITE_ID={{.WebsiteID}}\nCRISP_IDENTIFIER={{.ID}}\n",
		// a website id with no Crisp keyword anywhere: not collected
		"website_id = {{.Hex}}\nsite = {{.ID2}}\n",
	}
	var wg sync.WaitGroup
	for _, c := range chunks {
		wg.Add(1)
		go func(text []byte) {
			defer wg.Done()
			d.Detect(finding.Chunk{ID: "c", Data: text, Line: 1})
		}(render(t, fx, c))
	}
	wg.Wait()
	got := d.WebsiteIDs()
	want := []string{fx.WebsiteID, fx.UUID}
	if want[0] > want[1] {
		want[0], want[1] = want[1], want[0]
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("WebsiteIDs = %v, want %v (sorted, deduplicated, only near Crisp keywords)", got, want)
	}
}

func TestColumnCountsFromTheChunksColumn(t *testing.T) {
	fx := fixture(t)
	text := render(t, fx, `crisp.authenticate("{{.ID}}", "{{.Key}}")`+"\ncrisp.authenticate(\"{{.ID2}}\", \"{{.Key2}}\")\n")
	d := New(rules.MustDefault())
	const deep = 7*(8<<20-32<<10) + 1
	fs := d.Detect(finding.Chunk{ID: "min.js", Data: text, Line: 1, Column: deep})
	if len(fs) != 2 {
		t.Fatalf("%d findings, want 2", len(fs))
	}
	for _, f := range fs {
		switch f.Line {
		case 1:
			if f.Column != deep+20 || f.EndColumn != deep+len(`crisp.authenticate("`)+36+4+64-1 {
				t.Errorf("first line: columns %d-%d, want counted from the chunk's column %d", f.Column, f.EndColumn, deep)
			}
		case 2:
			if f.Column != 21 {
				t.Errorf("second line: column %d, want 21", f.Column)
			}
		}
	}
}

func TestExplainUnanchoredContent(t *testing.T) {
	fx := fixture(t)
	d := New(rules.MustDefault())
	var out lockedBuffer
	d.SetExplain(&out)
	d.Detect(finding.Chunk{ID: "c", Data: render(t, fx, "IDENTIFIER={{.ID}}\nKEY={{.Key}}\n"), Line: 1})
	got := out.String()
	if !strings.Contains(got, ":1: 1 uuid, 1 hex64, 0 id:key values not read: no Crisp keyword anywhere") || strings.Contains(got, fx.Key) {
		t.Errorf("trace does not say why content without a keyword is not paired:\n%s", got)
	}
	d.SetExplain(nil)
	out = lockedBuffer{}
	d.Detect(finding.Chunk{ID: "c", Data: render(t, fx, "IDENTIFIER={{.ID}}\nKEY={{.Key}}\n"), Line: 1})
	if out.String() != "" {
		t.Error("trace written after SetExplain(nil)")
	}
}

// A path the repository chose cannot drive the terminal through the trace.
func TestExplainQuotesControlCharacters(t *testing.T) {
	fx := fixture(t)
	text := render(t, fx, "# crisp\nCRISP_IDENTIFIER={{.ID}}\nCRISP_KEY={{.Key}}\n")
	d := New(rules.MustDefault())
	var out lockedBuffer
	d.SetExplain(&out)
	d.Detect(finding.Chunk{ID: "b", Data: text, Line: 1, Locations: []finding.Location{{Path: "a\x1b]0;pwned\x07.env"}}})
	got := out.String()
	if strings.ContainsAny(got, "\x1b\x07") || !strings.Contains(got, `a\x1b]0;pwned\a.env`) {
		t.Errorf("trace holds raw control characters or lost the path: %q", got)
	}
}
