// Command scanner finds Crisp, Kustomer and generic HTTP credentials in git
// history, commit ranges, staged changes, directories and stdin, checks them
// live, and gets them rolled.
//
// This package is the only place the stages meet: it parses the command line
// (cli.go, options.go), builds the source (source/), runs the detector
// (detect/) and places its findings (pipeline.go, introduced.go), applies
// triage (triage.go: baselines, inline allows, the repository's own config
// read from a pull request's base), validates (validate.go), remediates
// (remediatecmd.go) and writes the report (report/). The other commands are
// thin wirings of the same pipeline: the pre-commit hook mode (hook.go), the
// GitHub Action (actioncmd.go, with ghaction/), org sweeps (githubcmd.go,
// with sweep/), baselines (baselinecmd.go), rules (rulescmd.go), report
// merging (reportcmd.go) and re-validation (validatecmd.go).
package main
