package scanconfig

import "github.com/scanner-dev/scanner/rules"

// ServerRules are the rules of the commands that work on a repository
// rather than on a tree of the user's (pre-receive, purge-plan,
// verify-purged), or on no tree at all (rules list, rules test): those of
// the configuration file config, else the built-in ones. No tree's own configuration is read: a push, or the history being
// purged, cannot configure its own scan.
func ServerRules(config string) (*rules.Set, error) {
	if config == "" {
		return rules.Default()
	}
	return rules.LoadConfig(config)
}
