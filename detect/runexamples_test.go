package detect

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/rules"
)

func TestRunExamplesBuiltIn(t *testing.T) {
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	res := RunExamples(&b, set, "")
	if res.Rules != len(set.Rules) || res.Examples == 0 || res.Failed != 0 || !res.Passed() {
		t.Errorf("result %+v:\n%s", res, b.String())
	}
	if want := fmt.Sprintf("%d rules, %d examples, 0 failed\n", res.Rules, res.Examples); !strings.HasSuffix(b.String(), want) {
		t.Errorf("output does not end with the counts %q:\n%s", want, b.String())
	}
	b.Reset()
	if res := RunExamples(&b, set, "no-such-file.toml"); res.Rules != 0 || res.Passed() || b.String() != "no rules from no-such-file.toml\n" {
		t.Errorf("rules of another file: %+v, %q", res, b.String())
	}
}
