// Command scanner finds Crisp, Kustomer and generic HTTP credentials in git
// history, commit ranges, staged changes, directories and stdin, checks them
// live, and gets them rolled.
//
// This package is the only place the stages meet, and it only wires them:
// each command (one file each) binds its flags into an options struct
// (cliflag parses them; the flags every scanning command shares bind straight
// into the settings of the package that owns them: report.Settings,
// source.Settings and source.Want, pipeline.Watch, scanconfig.Options,
// validate.Settings, remediate.Settings, logging.Settings), builds the logger
// (logging), opens the source (source/, which also decides what a git run
// selects), loads the run's configuration and runs the finding lifecycle
// (pipeline.Load, pipeline.Scan) with the detector (detect/) and validator
// (validate/), writes the report (report/) before it remediates
// (remediate/), and maps the outcome to an exit status (cli.go, whose
// commands table names every command). What a command shows or decides on
// its own lives with the concept: the Action's environment and outputs in
// ghaction, the sweep in sweep and progress, the server hook's policy in
// hookpolicy, purge plans in purge. The usage texts are embedded files.
package main
