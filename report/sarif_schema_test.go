package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/scanner-dev/scanner/finding"
)

// sarifSchema compiles testdata/sarif-schema-2.1.0.json, the OASIS SARIF
// 2.1.0 schema (rtm.5, the one json.schemastore.org serves for
// sarif-2.1.0; taken from the npm package @microsoft/jest-sarif), with
// format assertions on (uri, uri-reference, date-time).
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	const id = "https://raw.githubusercontent.com/schemastore/schemastore/master/src/schemas/json/sarif-2.1.0-rtm.5.json"
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func TestSARIFValidatesAgainstTheSchema(t *testing.T) {
	sch := sarifSchema(t)
	s := newSample(t)
	odd := s.rep.Findings[1]
	odd.Path = "my dir/ünï #1/[x]?.env\x1b"
	abs := s.rep.Findings[2]
	abs.Path = "/srv/app/a b.env"
	withOdd := &Report{Tool: s.rep.Tool, Findings: append(append([]finding.Finding{}, s.rep.Findings...), odd, abs)}
	cases := map[string]*Report{
		"sample":          s.rep,
		"odd paths":       withOdd,
		"no findings":     {Tool: Tool{Name: "scanner"}},
		"unplaced result": {Tool: Tool{Name: "scanner"}, Findings: []finding.Finding{{RuleID: "r", Severity: finding.Info, Display: "****", Location: finding.Location{Path: "stdin"}}}},
	}
	for name, rep := range cases {
		t.Run(name, func(t *testing.T) {
			validate(t, sch, render(t, rep, "sarif", Options{}))
		})
	}
	t.Run("past the limit", func(t *testing.T) {
		var b bytes.Buffer
		if err := encodeJSON(&b, buildSARIF(&Report{Tool: Tool{Name: "scanner"}, Findings: many(12)}, 5, Options{})); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "toolExecutionNotifications") {
			t.Fatal("no notification of the results left out")
		}
		validate(t, sch, b.String())
	})
	t.Run("the schema rejects", func(t *testing.T) {
		bad := strings.Replace(render(t, s.rep, "sarif", Options{}), `"level": "error"`, `"level": "fatal"`, 1)
		doc, _ := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		if sch.Validate(doc) == nil {
			t.Error("a result with level fatal validates: the schema checks nothing")
		}
	})
}

func validate(t *testing.T, sch *jsonschema.Schema, out string) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Errorf("SARIF does not validate: %v", err)
	}
}
