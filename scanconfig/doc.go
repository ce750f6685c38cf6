// Package scanconfig decides what configures a run: the rules in force
// (the user's --config, else the scanned tree's own .scanner.toml, else a
// gitleaks configuration from GITLEAKS_CONFIG or the tree's .gitleaks.toml,
// else the built-in rules, narrowed by --enable-rule) and the baselines
// that hide accepted findings (--baseline or the tree's
// .scanner-baseline.json, an earlier JSON report or a gitleaks report, and
// the tree's .gitleaksignore). ServerRules are the rules of the commands
// that read no tree's configuration (pre-receive, purge-plan,
// verify-purged, rules): --config, else the built-in ones. Options.Bind binds the
// flags every scanning command takes into Options.
//
// It reads the tree through the small Tree interface it declares
// (pipeline.Tree implements it: from the base commit in range runs, so a
// pull request cannot configure its own scan). A tree's own configuration
// is parsed as untrusted: it may not send credentials to hosts the user has
// not allowed. It imports finding, rules, report and cliflag; never source, detect
// or pipeline.
package scanconfig
