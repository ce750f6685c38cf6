package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/rules"
)

func TestWriteRules(t *testing.T) {
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteRules(&b, set); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != len(set.Rules)+1 || !strings.HasPrefix(lines[0], "ID") || !strings.Contains(b.String(), "crisp-token") {
		t.Errorf("table:\n%s", b.String())
	}
}
