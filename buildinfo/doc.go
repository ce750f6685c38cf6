// Package buildinfo says which build of the scanner is running: the
// version a release sets at link time, else what the Go build recorded
// (the module version "go install ...@v1.2.3" embeds, or the VCS revision a
// build from a checkout records). It imports the standard library only.
package buildinfo
