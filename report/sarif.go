package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/scanner-dev/scanner/finding"
)

// The SARIF 2.1.0 subset GitHub code scanning reads.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations,omitempty"`
	Results     []sarifResult     `json:"results"`
}

// sarifInvocation carries the notification of results left out.
type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string    `json:"level"`
	Message sarifText `json:"message"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	DefaultConfiguration map[string]any `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI       string `json:"uri"`
			URIBaseID string `json:"uriBaseId,omitempty"`
		} `json:"artifactLocation"`
		Region struct {
			StartLine   int `json:"startLine"`
			StartColumn int `json:"startColumn,omitempty"`
			EndLine     int `json:"endLine,omitempty"`
			EndColumn   int `json:"endColumn,omitempty"`
		} `json:"region"`
	} `json:"physicalLocation"`
}

// securitySeverity maps our severities to the CVSS-like score GitHub uses to
// rank security alerts.
var securitySeverity = map[finding.Severity]string{
	finding.Critical: "9.5", finding.High: "8.0", finding.Medium: "5.5", finding.Low: "3.0", finding.Info: "1.0",
}

func sarifLevel(s finding.Severity) string {
	switch {
	case s.Rank() >= finding.High.Rank():
		return "error"
	case s == finding.Medium:
		return "warning"
	}
	return "note"
}

// SARIFMaxResults is the most results a SARIF report holds: GitHub code
// scanning rejects a run with more. Findings past it, the least severe
// first, are left out of the SARIF (the JSON report keeps them all), and
// Options.Warn and the run's tool notifications say so.
const SARIFMaxResults = 25000

// WriteSARIF writes the report as SARIF 2.1.0. It never carries a raw
// secret, whatever the options: SARIF files are uploaded and kept.
func WriteSARIF(w io.Writer, r *Report) error { return writeSARIF(w, r, Options{}) }

func writeSARIF(w io.Writer, r *Report, opts Options) error {
	return encodeJSON(w, buildSARIF(r, SARIFMaxResults, opts))
}

// buildSARIF makes the SARIF log of r with at most limit results.
func buildSARIF(r *Report, limit int, opts Options) sarifLog {
	fs, left := sarifFindings(r.Findings, limit)
	rules, index := sarifRules(fs)
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: r.Tool.Name, Version: r.Tool.Version, InformationURI: "https://github.com/scanner-dev/scanner", Rules: rules,
		}},
		Results: make([]sarifResult, 0, len(fs)),
	}
	if left > 0 {
		msg := fmt.Sprintf("%d of %d findings left out of the SARIF report (GitHub code scanning takes at most %d results; the least severe were left out): the JSON report holds them all",
			left, len(r.Findings), limit)
		opts.warn("%s", msg)
		run.Invocations = []sarifInvocation{{ExecutionSuccessful: true,
			ToolExecutionNotifications: []sarifNotification{{Level: "warning", Message: sarifText{Text: msg}}}}}
	}
	for _, f := range fs {
		run.Results = append(run.Results, sarifResultFor(f, index[f.RuleID]))
	}
	return sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}
}

// sarifFindings returns the findings the SARIF report holds, in report
// order, and how many were left out: past limit, the most severe are kept.
func sarifFindings(all []finding.Finding, limit int) ([]finding.Finding, int) {
	if len(all) <= limit {
		return all, 0
	}
	idx := make([]int, len(all))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return all[idx[a]].Severity.Rank() > all[idx[b]].Severity.Rank() })
	idx = idx[:limit]
	sort.Ints(idx)
	kept := make([]finding.Finding, len(idx))
	for i, j := range idx {
		kept[i] = all[j]
	}
	return kept, len(all) - len(kept)
}

func sarifRules(fs []finding.Finding) ([]sarifRule, map[string]int) {
	byID := map[string]finding.Finding{}
	for _, f := range fs {
		if old, ok := byID[f.RuleID]; !ok || f.Severity.Rank() > old.Severity.Rank() {
			byID[f.RuleID] = f
		}
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	rules := make([]sarifRule, 0, len(ids))
	index := map[string]int{}
	for i, id := range ids {
		f := byID[id]
		index[id] = i
		help := f.Description + ". Remove it from the code, roll it at " + f.Provider +
			" (the old value stays in git history), and load it from a secret store."
		rules = append(rules, sarifRule{
			ID: id, Name: ruleName(id),
			ShortDescription:     sarifText{Text: f.Description},
			FullDescription:      sarifText{Text: f.Description + " (provider: " + f.Provider + ")"},
			Help:                 sarifText{Text: help, Markdown: help},
			DefaultConfiguration: map[string]any{"level": sarifLevel(f.Severity)},
			Properties: map[string]any{"security-severity": securitySeverity[f.Severity],
				"tags": []string{"security", "secret", f.Provider}, "precision": "high"},
		})
	}
	return rules, index
}

// ruleName turns "crisp-token" into "CrispToken".
func ruleName(id string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

func sarifResultFor(f finding.Finding, idx int) sarifResult {
	res := sarifResult{
		RuleID: f.RuleID, RuleIndex: idx, Level: sarifLevel(f.Severity),
		Message:             sarifText{Text: messageText(f)},
		PartialFingerprints: map[string]string{"secretFingerprint/v1": f.Fingerprint},
		Properties:          map[string]any{"severity": string(f.Severity)},
	}
	var loc sarifLocation
	art := &loc.PhysicalLocation.ArtifactLocation
	art.URI, art.URIBaseID = artifactURI(f.Path)
	reg := &loc.PhysicalLocation.Region
	reg.StartLine, reg.StartColumn, reg.EndLine = max(f.Line, 1), f.Column, f.EndLine
	if f.EndColumn > 0 {
		reg.EndColumn = f.EndColumn + 1 // SARIF end columns are exclusive
	}
	res.Locations = []sarifLocation{loc}
	if f.Repository != "" {
		res.Properties["repository"] = printable(f.Repository)
	}
	if f.Commit != "" {
		res.Properties["commit"] = printable(f.Commit)
		res.Properties["author"] = printable(f.AuthorName + " <" + f.AuthorEmail + ">")
		res.Properties["date"] = f.Date
	}
	if v := f.Validation; v != nil {
		res.Properties["validation"] = string(v.Status)
		if reach := toJSONReach(v.Reach); reach != nil {
			res.Properties["reach"] = reach
		}
	}
	return res
}

// messageText describes a finding in one sentence, redacted.
func messageText(f finding.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", f.Description, f.Redacted())
	if f.TierHint != "" {
		fmt.Fprintf(&b, " (tier hint: %s)", f.TierHint)
	}
	if f.Commit != "" {
		fmt.Fprintf(&b, ", introduced in %s by %s on %s", short(f.Commit), f.AuthorName, f.Date.Format("2006-01-02"))
	}
	if v := f.Validation; v != nil {
		fmt.Fprintf(&b, "; validation: %s", v.Status)
		if r := reachText(v.Reach); r != "" {
			fmt.Fprintf(&b, "; it %s", r)
		}
	}
	return printable(b.String() + ".")
}

func short(commit string) string { return commit[:min(len(commit), 10)] }
