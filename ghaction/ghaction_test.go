package ghaction

import (
	"bufio"
	"bytes"
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/report"
)

func TestEscape(t *testing.T) {
	for _, c := range []struct{ in, data, prop string }{
		{"plain.env", "plain.env", "plain.env"},
		{"100%", "100%25", "100%25"},
		{"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"x::y,z", "x::y,z", "x%3A%3Ay%2Cz"},
		{"%0A", "%250A", "%250A"}, // an escape in the input stays literal
	} {
		if got := EscapeData(c.in); got != c.data {
			t.Errorf("EscapeData(%q) = %q, want %q", c.in, got, c.data)
		}
		if got := EscapeProperty(c.in); got != c.prop {
			t.Errorf("EscapeProperty(%q) = %q, want %q", c.in, got, c.prop)
		}
	}
}

func TestAnnotationIsOneEscapedLine(t *testing.T) {
	f := finding.Finding{RuleID: "crisp-token", Severity: finding.High, Description: "Crisp token, plugin",
		Parts:    []finding.Part{{Name: "key", Value: finding.NewSecret(strings.Repeat("k", 40))}},
		Location: finding.Location{Path: "a,b\n::warning::x%.env", Line: 3, Column: 5, EndLine: 3, EndColumn: 44, AuthorName: "Eve\n::error::"}}
	f.Commit = strings.Repeat("c", 40)
	got := Annotation(f)
	want := "::error file=a%2Cb%0A%3A%3Awarning%3A%3Ax%25.env,line=3,col=5,endLine=3,endColumn=44,title=scanner%3A Crisp token%2C plugin::"
	if !strings.HasPrefix(got, want) {
		t.Fatalf("annotation\n%q\nwant prefix\n%q", got, want)
	}
	if strings.ContainsAny(got, "\r\n") || strings.Contains(got, strings.Repeat("k", 40)) {
		t.Errorf("annotation is not one safe line: %q", got)
	}
	if !strings.Contains(got, "by Eve%0A::error::") {
		t.Errorf("author name not escaped as message data: %q", got)
	}
}

func TestWriteOutputsRoundTrip(t *testing.T) {
	outs := []Output{{"findings", "2"}, {"multi", "line one\nline two"}, {"empty", ""}}
	var b bytes.Buffer
	if err := WriteOutputs(&b, outs); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&b)
	got := map[string]string{}
	for sc.Scan() {
		name, delim, ok := strings.Cut(sc.Text(), "<<")
		if !ok || !strings.HasPrefix(delim, "ghadelimiter_") {
			t.Fatalf("line %q is not name<<DELIMITER", sc.Text())
		}
		var val []string
		for sc.Scan() && sc.Text() != delim {
			val = append(val, sc.Text())
		}
		got[name] = strings.Join(val, "\n")
	}
	for _, o := range outs {
		if got[o.Name] != o.Value {
			t.Errorf("output %s = %q, want %q", o.Name, got[o.Name], o.Value)
		}
	}
	if err := WriteOutputs(&b, []Output{{"bad\nname", "x"}}); err == nil {
		t.Error("an output name with a newline was accepted")
	}
}

func TestSplitArgs(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  --config  a.toml\n--validate ", []string{"--config", "a.toml", "--validate"}},
		{`--config 'my dir/a.toml' --x "a \"b\" \$c"`, []string{"--config", "my dir/a.toml", "--x", `a "b" \$c`}},
		{`a\ b '' "$HOME"`, []string{"a b", "", "$HOME"}},
	} {
		got, err := SplitArgs(c.in)
		if err != nil || strings.Join(got, "|") != strings.Join(c.want, "|") || len(got) != len(c.want) {
			t.Errorf("SplitArgs(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{`'open`, `"open`, `trailing\`} {
		if _, err := SplitArgs(bad); err == nil {
			t.Errorf("SplitArgs(%q) accepted", bad)
		}
	}
}

func TestMarkdownEscapesCells(t *testing.T) {
	f := finding.Finding{RuleID: "r", Severity: finding.High, Description: "d | <img src=x> @team",
		Parts:    []finding.Part{{Name: "token", Value: finding.NewSecret(strings.Repeat("t", 40))}},
		Location: finding.Location{Path: "a|b`<script>.env", Line: 2}}
	md := Markdown(&report.Report{Findings: []finding.Finding{f}}, "x")
	row := md[strings.Index(md, "| high"):]
	row = row[:strings.Index(row, "\n")]
	if strings.Count(row, "|")-strings.Count(row, `\|`) != 7 {
		t.Errorf("row does not have 6 cells: %s", row)
	}
	for _, bad := range []string{"<img", "<script", "b`", " @team", strings.Repeat("t", 40)} {
		if strings.Contains(row, bad) {
			t.Errorf("row holds %q: %s", bad, row)
		}
	}
}
