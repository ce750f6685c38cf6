// Package remediatetest holds a stand-in GitHub API on loopback for the
// tests of remediation and of the commands that wire it. It behaves as the
// GitHub REST documentation says for the endpoints remediation uses.
package remediatetest
