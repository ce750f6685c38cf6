package detect

import (
	"bytes"
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
	if res.Rules != len(set.Rules) || res.Examples == 0 || res.Failed != 0 {
		t.Errorf("result %+v:\n%s", res, b.String())
	}
	if res := RunExamples(&b, set, "no-such-file.toml"); res.Rules != 0 {
		t.Errorf("rules of another file: %+v", res)
	}
}
