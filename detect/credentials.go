package detect

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/scanner-dev/scanner/finding"
)

// ReadCredentials reads credentials given back for a re-check: a JSON
// report (starting with '{', read by readReport, which the caller owns), or
// one credential per line (blank lines and # comments skipped). A line the
// detector does not recognise is passed to skipped by its number and left
// out. Each line's finding is placed at stdin:N.
func (d *Detector) ReadCredentials(r io.Reader, readReport func(io.Reader) ([]finding.Finding, error), skipped func(line int)) ([]finding.Finding, error) {
	br := bufio.NewReader(r)
	head, _ := br.Peek(512)
	if t := bytes.TrimSpace(head); len(t) > 0 && t[0] == '{' {
		return readReport(br)
	}
	var out []finding.Finding
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f, ok := d.CredentialLine(line)
		if !ok {
			skipped(n)
			continue
		}
		f.Path, f.Line, f.Column = "stdin", n, 1
		out = append(out, f)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read credentials: %w", err)
	}
	return out, nil
}

var crispPairLine = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^([0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}):([0-9a-fA-F]{64})$`)
})

// CredentialLine makes a finding of one line: a Crisp "identifier:key", or
// whatever the detector recognises in it (a Kustomer key, a Basic header),
// never suppressed: the line was given to be checked.
func (d *Detector) CredentialLine(line string) (finding.Finding, bool) {
	if m := crispPairLine().FindStringSubmatch(line); m != nil {
		parts := []finding.Part{{Name: "identifier", Value: finding.NewSecret(m[1])}, {Name: "key", Value: finding.NewSecret(m[2])}}
		return finding.Finding{RuleID: "crisp-token", Provider: "crisp", Severity: finding.High,
			Description: "Crisp REST API token", Parts: parts, Fingerprint: finding.Fingerprint(parts...)}, true
	}
	fs := d.Detect(finding.Chunk{ID: "stdin", Data: []byte(line), Line: 1})
	if len(fs) == 0 {
		return finding.Finding{}, false
	}
	fs[0].Suppressed = ""
	return fs[0], true
}
