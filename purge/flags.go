package purge

import "flag"

// Settings are the flags purge-plan and verify-purged share, and
// purge-plan's own printing options.
type Settings struct {
	Repo   string       // --repo: the repository (work tree or bare)
	Config string       // --config: the configuration the report was made with ("" built-in rules)
	Print  PrintOptions // purge-plan's --expressions and --clone-dir
}

// Bind binds the flags into s, and with plan purge-plan's own too.
func (s *Settings) Bind(fs *flag.FlagSet, plan bool) {
	fs.StringVar(&s.Repo, "repo", ".", "the repository (work tree or bare)")
	fs.StringVar(&s.Config, "config", "", "the TOML configuration the report was made with, if any")
	if plan {
		fs.StringVar(&s.Print.Expressions, "expressions", "", "where to write the filter-repo expressions file (default: "+ExpressionsName+" in the repository's git directory)")
		fs.StringVar(&s.Print.CloneDir, "clone-dir", "", "where the printed commands make the fresh clone (default: next to the repository, NAME-purge.git)")
	}
}
