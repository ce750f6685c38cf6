package report

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/scanner-dev/scanner/finding"
)

// CheckFormat refuses a format no Reporter writes.
func CheckFormat(format string) error {
	for _, v := range Formats {
		if format == v {
			return nil
		}
	}
	return fmt.Errorf("unknown --report-format %q (want %s)", format, strings.Join(Formats, ", "))
}

// WriteTo writes rep in format to the file at path, or to stdout when path
// is "" or "-".
func WriteTo(path string, stdout io.Writer, format string, rep *Report, opts Options) error {
	w, closeFn := stdout, func() error { return nil }
	if path != "" && path != "-" {
		f, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("report path: %w", err)
		}
		w, closeFn = f, f.Close
	}
	err := Write(w, format, rep, opts)
	if cerr := closeFn(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// DisplayPaths makes the paths of a directory scan's findings open from
// where the user ran it, as code scanning resolves them from the
// repository root: "deploy/app.env" for "scanner dir deploy", not
// "app.env". An absolute root gives paths relative to the working
// directory when it lies inside it, and relative to itself otherwise; a
// root that is one file gives its own path.
func DisplayPaths(root string, fs []finding.Finding) {
	prefix := filepath.Clean(root)
	if filepath.IsAbs(prefix) {
		prefix = "."
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, filepath.Clean(root)); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				prefix = rel
			}
		}
	}
	file := false
	if fi, err := os.Stat(root); err == nil && !fi.IsDir() {
		file = true
	}
	for i := range fs {
		switch {
		case file && prefix != ".":
			fs[i].Path = filepath.ToSlash(prefix)
		case prefix != ".":
			fs[i].Path = filepath.ToSlash(filepath.Join(prefix, filepath.FromSlash(fs[i].Path)))
		}
	}
}
