// Package cliflag is how the scanner's commands read their command lines
// with the standard flag package: flag sets whose -h prints the command's
// usage on stdout and whose mistakes are one line, flags allowed anywhere
// among the operands, subcommands (Subcommand), and the values flags take
// (sizes such as 50MB, SizeLimit of --max-file-size and gitleaks'
// --max-target-megabytes), operands (Operand with gitleaks' --source, Input
// for a file or stdin).
//
// It imports the standard library only and knows no command: each command
// in cmd/scanner binds its own flags into its options, and a package whose
// settings every scanning command shares binds them itself with these
// values (source.Settings, validate.Settings, scanconfig.Options,
// pipeline.Watch).
package cliflag
