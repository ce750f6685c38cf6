// Package corpus holds the project's own corpus of credential forms and
// traps, invented from how people write configuration, code, CI files, logs,
// API-tool exports and data dumps. It has no code outside its tests: the
// tests render each form with credentials generated at run time, run the real
// rules and detector over it (and, end to end, the scanner binary over git
// histories and directories), and require every planted credential to be
// found at its rule, parts, path, line and introducing commit, and nothing
// else. Traps are text that looks like a credential and is not.
//
// Forms that wait on the Crisp pairing model are listed in pendingPairing
// and skipped with the reason; set CORPUS_PENDING=1 to run them anyway.
//
// It imports rules, detect, finding and source; never cmd/scanner.
package corpus
