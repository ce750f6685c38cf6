package sweep

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/google/go-github/v62/github"
)

// Repo is a repository to sweep.
type Repo struct {
	FullName string // owner/name
	CloneURL string // https clone URL, as the API gives it
	SizeKB   int64  // the API's size field, in KB
	Archived bool
	Fork     bool
	// Skip says why the sweep leaves the repository out (SkipArchived,
	// SkipFork, SkipExcluded); empty for a selected one. Only Survey
	// returns repositories with a reason.
	Skip string
}

// Why a listed repository is not swept (Repo.Skip, Outcome.Reason).
const (
	SkipArchived = "archived"  // archived, and --include-archived not given
	SkipFork     = "fork"      // a fork, and --include-forks not given
	SkipExcluded = "excluded"  // left out by --include or --exclude globs
	SkipTooLarge = "too-large" // larger than the size limit
)

// Selection says which repositories a sweep covers.
type Selection struct {
	Orgs, Users     []string // list every repository of these owners
	Repos           []string // and these owner/name
	IncludeArchived bool     // archived repositories are skipped unless set
	IncludeForks    bool     // forks are skipped unless set
	Include         []string // doublestar globs on owner/name; none means all
	Exclude         []string // doublestar globs on owner/name
	Shard           Shard
}

// Check validates the selection.
func (s Selection) Check() error {
	if len(s.Orgs)+len(s.Users)+len(s.Repos) == 0 {
		return fmt.Errorf("nothing to sweep: give --org, --user or --repo")
	}
	for _, r := range s.Repos {
		if o, n, ok := strings.Cut(r, "/"); !ok || o == "" || n == "" || strings.Contains(n, "/") {
			return fmt.Errorf("--repo %q: want OWNER/NAME", r)
		}
	}
	for _, p := range append(append([]string(nil), s.Include...), s.Exclude...) {
		if !doublestar.ValidatePattern(p) {
			return fmt.Errorf("bad glob %q", p)
		}
	}
	return nil
}

// Lister lists repositories through the GitHub API.
type Lister struct {
	Client *github.Client
	Retry  Retry
}

// List returns the selected repositories, sorted by name, each once. Listed
// owners' archived repositories and forks are left out unless asked for;
// repositories named with Repos are kept whatever they are. Globs and the
// shard apply to all.
func (l *Lister) List(ctx context.Context, sel Selection) ([]Repo, error) {
	all, err := l.Survey(ctx, sel)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, r := range all {
		if r.Skip == "" {
			out = append(out, r)
		}
	}
	return out, nil
}

// Survey returns every repository of the shard the listing found, sorted by
// name, each once: the selected ones as List does, and those the selection
// leaves out with the reason in Skip, so that a sweep can account for each.
// Repositories of other shards are not returned: their shard accounts for
// them.
func (l *Lister) Survey(ctx context.Context, sel Selection) ([]Repo, error) {
	if err := sel.Check(); err != nil {
		return nil, err
	}
	seen := map[string]Repo{}
	add := func(r *github.Repository, named bool) {
		repo := fromAPI(r)
		if repo.FullName == "" || !sel.Shard.Has(repo.FullName) {
			return
		}
		if old, ok := seen[strings.ToLower(repo.FullName)]; ok && old.Skip == "" {
			return // named with --repo and listed with its owner: selected
		}
		repo.Skip = sel.skip(repo, named)
		seen[strings.ToLower(repo.FullName)] = repo
	}
	for _, org := range sel.Orgs {
		if err := l.pages(ctx, "organisation "+org, func(p int) ([]*github.Repository, *github.Response, error) {
			return l.Client.Repositories.ListByOrg(ctx, org, &github.RepositoryListByOrgOptions{Type: "all", ListOptions: github.ListOptions{Page: p, PerPage: 100}})
		}, add); err != nil {
			return nil, err
		}
	}
	for _, user := range sel.Users {
		if err := l.pages(ctx, "user "+user, func(p int) ([]*github.Repository, *github.Response, error) {
			return l.Client.Repositories.ListByUser(ctx, user, &github.RepositoryListByUserOptions{Type: "owner", ListOptions: github.ListOptions{Page: p, PerPage: 100}})
		}, add); err != nil {
			return nil, err
		}
	}
	for _, full := range sel.Repos {
		owner, name, _ := strings.Cut(full, "/")
		var r *github.Repository
		_, err := l.Retry.do(ctx, func() (*github.Response, error) {
			var resp *github.Response
			var err error
			r, resp, err = l.Client.Repositories.Get(ctx, owner, name)
			return resp, err
		})
		if err != nil {
			return nil, fmt.Errorf("repository %s: %w", full, err)
		}
		add(r, true)
	}
	return sorted(seen), nil
}

// pages calls list for each page until the Link header has no next one.
func (l *Lister) pages(ctx context.Context, what string, list func(page int) ([]*github.Repository, *github.Response, error), add func(*github.Repository, bool)) error {
	for page := 1; page != 0; {
		var rs []*github.Repository
		resp, err := l.Retry.do(ctx, func() (*github.Response, error) {
			var resp *github.Response
			var err error
			rs, resp, err = list(page)
			return resp, err
		})
		if err != nil {
			return fmt.Errorf("list the repositories of %s (page %d): %w", what, page, err)
		}
		for _, r := range rs {
			add(r, false)
		}
		page = resp.NextPage
	}
	return nil
}

// skip says why the selection leaves repo out, or "" when it is swept.
func (s Selection) skip(repo Repo, named bool) string {
	switch {
	case !s.match(repo.FullName):
		return SkipExcluded
	case named:
		return ""
	case repo.Archived && !s.IncludeArchived:
		return SkipArchived
	case repo.Fork && !s.IncludeForks:
		return SkipFork
	}
	return ""
}

// match reports whether the globs select fullName (the shard is checked
// apart).
func (s Selection) match(fullName string) bool {
	name := strings.ToLower(fullName)
	glob := func(ps []string) bool {
		for _, p := range ps {
			if ok, _ := doublestar.Match(strings.ToLower(p), name); ok {
				return true
			}
		}
		return false
	}
	if len(s.Include) > 0 && !glob(s.Include) {
		return false
	}
	return !glob(s.Exclude)
}

func fromAPI(r *github.Repository) Repo {
	return Repo{FullName: r.GetFullName(), CloneURL: r.GetCloneURL(), SizeKB: int64(r.GetSize()),
		Archived: r.GetArchived(), Fork: r.GetFork()}
}

func sorted(m map[string]Repo) []Repo {
	out := make([]Repo, 0, len(m))
	for _, r := range m {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].FullName) < strings.ToLower(out[j].FullName) })
	return out
}
