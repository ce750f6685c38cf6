package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/detect"
	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/pipeline"
	"github.com/scanner-dev/scanner/report"
)

// runValidate re-checks credentials given on stdin without scanning: one
// "identifier:key" or token per line, or a JSON report made with
// --show-secrets.
func runValidate(ctx context.Context, args []string, e env) (int, error) {
	var o scanOptions
	fs := newFlagSet("validate", "< credentials", e)
	o.bind(fs)
	o.validate.failOn = "live" // a re-check fails on live (and unknown) credentials only
	fs.Lookup("fail-on").DefValue = "live"
	pos, err := parseArgs(fs, args)
	if err != nil {
		return exitError, err
	}
	if len(pos) > 0 {
		return exitError, usageError{"validate reads stdin and takes no arguments"}
	}
	log, _, err := o.prepare(e.stderr)
	if err != nil {
		return exitError, err
	}
	l, err := o.load(ctx, pipeline.Tree{Log: log})
	if err != nil {
		return exitError, err
	}
	fsIn, err := readCredentials(e.stdin, l.detector, log)
	if err != nil {
		return exitError, err
	}
	res := &pipeline.Result{Findings: fsIn}
	if err := o.validate.check(ctx, l.rules, fsIn, &res.Stats, log); err != nil {
		return exitError, err
	}
	return o.deliver(ctx, scanJob{target: report.Target{Kind: "validate", Path: "stdin"}, log: log}, res, e)
}

// readCredentials reads a JSON report or credential lines.
func readCredentials(r io.Reader, d *detect.Detector, log zerolog.Logger) ([]finding.Finding, error) {
	br := bufio.NewReader(r)
	head, _ := br.Peek(512)
	if t := bytes.TrimSpace(head); len(t) > 0 && t[0] == '{' {
		rep, err := report.ReadJSON(br)
		if err != nil {
			return nil, err
		}
		return rep.Findings, nil
	}
	var out []finding.Finding
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f, ok := credentialLine(line, d)
		if !ok {
			log.Warn().Int("line", n).Msg("not a credential the scanner knows; skipped")
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

var crispPairLine = regexp.MustCompile(`^([0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}):([0-9a-fA-F]{64})$`)

// credentialLine makes a finding of one line: a Crisp "identifier:key", or
// whatever the detectors recognise in it (a Kustomer key, a Basic header).
func credentialLine(line string, d *detect.Detector) (finding.Finding, bool) {
	if m := crispPairLine.FindStringSubmatch(line); m != nil {
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
