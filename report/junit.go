package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/scanner-dev/scanner/finding"
)

// JUnit XML, as CI systems (GitLab, Jenkins, Azure) read it: one failed
// test case per finding, or one passed case when there is none.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitFailure `xml:"failure"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes the report as JUnit XML. Like SARIF it never carries a
// raw secret: CI systems keep and show these files.
func WriteJUnit(w io.Writer, r *Report) error {
	name := r.Tool.Name
	if name == "" {
		name = "scanner"
	}
	suite := junitSuite{Name: name, Time: fmt.Sprintf("%.3f", r.Stats.Duration.Seconds())}
	for _, f := range r.Findings {
		suite.Cases = append(suite.Cases, junitCaseFor(f))
	}
	if len(suite.Cases) == 0 {
		suite.Cases = []junitCase{{Name: "no leaks found", ClassName: name}}
	}
	suite.Tests, suite.Failures = len(suite.Cases), len(r.Findings)
	doc := junitSuites{Name: name, Tests: suite.Tests, Failures: suite.Failures, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitCaseFor(f finding.Finding) junitCase {
	where := f.Path
	if f.Repository != "" {
		where = f.Repository + ":" + where
	}
	return junitCase{
		Name:      printable(fmt.Sprintf("%s at %s:%d", f.RuleID, where, f.Line)),
		ClassName: printable(f.RuleID),
		File:      printable(f.Path),
		Line:      f.Line,
		Failure: &junitFailure{
			Message: printable(f.Description + " " + f.Redacted()),
			Type:    string(f.Severity),
			Text:    junitText(f),
		},
	}
}

// junitText is the failure's body: the finding's facts, one a line.
func junitText(f finding.Finding) string {
	lines := []string{
		"rule: " + f.RuleID, "provider: " + f.Provider, "severity: " + string(f.Severity),
		"secret: " + f.Redacted(), "fingerprint: " + f.Fingerprint,
		fmt.Sprintf("location: %s:%d:%d", f.Path, f.Line, f.Column),
	}
	if f.Commit != "" {
		lines = append(lines, "commit: "+f.Commit, "author: "+f.AuthorName+" <"+f.AuthorEmail+">",
			"date: "+f.Date.UTC().Format("2006-01-02"))
	}
	if v := f.Validation; v != nil {
		lines = append(lines, "validation: "+string(v.Status)+" "+v.Detail)
		if r := reachText(v.Reach); r != "" {
			lines = append(lines, "reach: "+r)
		}
	}
	for i, l := range lines {
		lines[i] = printable(strings.TrimSpace(l))
	}
	return strings.Join(lines, "\n")
}
