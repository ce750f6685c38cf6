package report

import (
	"fmt"
	"io"
	"os"

	"github.com/scanner-dev/scanner/finding"
)

// ReadFindings reads the findings of a JSON report.
func ReadFindings(r io.Reader) ([]finding.Finding, error) {
	rep, err := ReadJSON(r)
	if err != nil {
		return nil, err
	}
	return rep.Findings, nil
}

// ReadJSONFile reads the JSON report at path; errors name the file.
func ReadJSONFile(path string) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rep, err := ReadJSON(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rep, nil
}
