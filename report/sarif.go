package report

import (
	"encoding/json"
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
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
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
			URI string `json:"uri"`
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

// WriteSARIF writes the report as SARIF 2.1.0. It never carries a raw
// secret, whatever the options: SARIF files are uploaded and kept.
func WriteSARIF(w io.Writer, r *Report) error {
	rules, index := sarifRules(r.Findings)
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: r.Tool.Name, Version: r.Tool.Version, InformationURI: "https://github.com/scanner-dev/scanner", Rules: rules,
		}},
		Results: make([]sarifResult, 0, len(r.Findings)),
	}
	for _, f := range r.Findings {
		run.Results = append(run.Results, sarifResultFor(f, index[f.RuleID]))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
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
	loc.PhysicalLocation.ArtifactLocation.URI = f.Path
	reg := &loc.PhysicalLocation.Region
	reg.StartLine, reg.StartColumn, reg.EndLine = max(f.Line, 1), f.Column, f.EndLine
	if f.EndColumn > 0 {
		reg.EndColumn = f.EndColumn + 1 // SARIF end columns are exclusive
	}
	res.Locations = []sarifLocation{loc}
	if f.Commit != "" {
		res.Properties["commit"] = f.Commit
		res.Properties["author"] = f.AuthorName + " <" + f.AuthorEmail + ">"
		res.Properties["date"] = f.Date
	}
	if f.Validation != nil {
		res.Properties["validation"] = string(f.Validation.Status)
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
	if f.Validation != nil {
		fmt.Fprintf(&b, "; validation: %s", f.Validation.Status)
	}
	return b.String() + "."
}

func short(commit string) string { return commit[:min(len(commit), 10)] }
