package purge

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// PrintOptions say what the printed commands name.
type PrintOptions struct {
	Report      string // the JSON report, for the verify command
	Expressions string // the file WriteExpressions wrote
	// CloneDir is where the fresh clone is made (default: next to the
	// repository, named after it with "-purge.git").
	CloneDir string
	// Verify is the command that proves the result (default "scanner
	// verify-purged").
	Verify string
}

// RollFirst opens every plan: removing a value from history does not make it
// safe.
const RollFirst = `Roll the key first. Taking a value out of history does not make it safe: every
clone, fork, cache and pull request made before the rewrite still holds it.
Roll each credential with its provider now, then clean up history if you want to.`

// ForgeKeeps closes every plan and every proof: what a rewrite cannot reach.
const ForgeKeeps = `What a rewrite cannot reach, and why the key must be rolled anyway:
  - clones and forks made before it keep the old commits (a fork is a repository of its own);
    everyone must re-clone: merging an old branch brings the value back;
  - pull request refs (GitHub refs/pull/*, GitLab refs/merge-requests/*) are read-only and keep
    their commits: ask the forge's support to purge them (GitHub: a sensitive data removal
    request; GitLab: Settings > Repository > Repository cleanup with filter-repo/commit-map);
  - the forge keeps unreachable objects until it collects garbage, and its caches (rendered
    commits and diffs, search, CI logs and artifacts, release archives) until they expire.`

// Print writes the plan: roll first, where the credentials are, the
// expressions file, the exact commands, and what the forge still keeps. It
// shows credentials redacted and by fingerprint, never raw.
func (p *Plan) Print(w io.Writer, o PrintOptions) error {
	if o.Verify == "" {
		o.Verify = "scanner verify-purged"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d credential(s) of the report are in the history of %s.\n\n", len(p.Found), len(p.Found)+len(p.Missing), p.Root)
	b.WriteString("1. " + RollFirst + "\n")
	for _, t := range p.Found {
		fmt.Fprintf(&b, "     %s  %s  %s\n", t.RuleID, orDash(t.Redacted), t.Fingerprint)
	}
	for _, t := range p.Missing {
		fmt.Fprintf(&b, "     %s  %s  %s  (not in this repository's history: nothing to rewrite)\n", t.RuleID, orDash(t.Redacted), t.Fingerprint)
	}
	if len(p.Found) == 0 {
		b.WriteString("\nNothing to rewrite.\n\n" + ForgeKeeps + "\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "\n2. Where history holds them:\n     paths:   %s\n     commits: %s\n     refs:    %s\n",
		strings.Join(p.Paths, ", "), shortList(p.Commits), strings.Join(p.Refs, ", "))
	for _, t := range p.Unexpressible {
		fmt.Fprintf(&b, "     warning: %s (%s) spans lines in %s: add a regex: line for it to the expressions file by hand\n",
			t.RuleID, t.Fingerprint, placesOf(t))
	}
	fmt.Fprintf(&b, "\n3. The values to remove are in %s\n   (%d literal(s), mode 0600, for git filter-repo --replace-text; it holds the raw\n   credentials: delete it once the rewrite is pushed).\n", o.Expressions, p.Expressions())
	b.WriteString("\n4. Rewrite (install git-filter-repo: apt-get install git-filter-repo, or pip install git-filter-repo):\n")
	for _, c := range p.commands(o) {
		b.WriteString("     " + c + "\n")
	}
	b.WriteString("\n" + ForgeKeeps + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// commands are the shell commands of the rewrite: in a fresh mirror clone
// of origin, pushed back; in place (after a backup) without an origin.
func (p *Plan) commands(o PrintOptions) []string {
	expr := shellQuote(o.Expressions)
	verify := func(dir string) string {
		return o.Verify + " --repo " + shellQuote(dir) + " " + shellQuote(o.Report)
	}
	if p.Origin == "" {
		root := shellQuote(p.Root)
		return []string{
			"# no origin remote: rewrite this repository in place, after a backup",
			"cp -a " + root + " " + shellQuote(strings.TrimRight(p.Root, "/")+".bak"),
			"git -C " + root + " filter-repo --force --replace-text " + expr,
			verify(p.Root),
			"rm -f " + expr,
		}
	}
	dir := o.CloneDir
	if dir == "" {
		dir = filepath.Join(filepath.Dir(p.Root), strings.TrimSuffix(filepath.Base(p.Root), ".git")+"-purge.git")
	}
	d, origin := shellQuote(dir), shellQuote(p.Origin)
	return []string{
		"git clone --mirror " + origin + " " + d,
		"git -C " + d + " filter-repo --replace-text " + expr,
		verify(dir),
		"git -C " + d + " push --force --all " + origin,
		"git -C " + d + " push --force --tags " + origin,
		"rm -f " + expr,
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func shortList(ids []string) string {
	var out []string
	for i, id := range ids {
		if i == 10 {
			out = append(out, fmt.Sprintf("and %d more", len(ids)-10))
			break
		}
		out = append(out, id[:min(len(id), 12)])
	}
	return strings.Join(out, ", ")
}

func placesOf(t Target) string {
	var out []string
	for _, l := range t.Places {
		out = append(out, l.Path+"@"+l.Commit[:min(len(l.Commit), 12)])
	}
	return strings.Join(out, ", ")
}

// shellQuote quotes s for a POSIX shell when it holds anything but safe
// characters.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./_-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
