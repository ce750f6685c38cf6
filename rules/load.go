package rules

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"

	"github.com/BurntSushi/toml"
)

// Set is a loaded, checked rule set with its global allowlists.
type Set struct {
	Rules      []*Rule
	Allowlists []Allowlist
}

// file is the shape of a rule file and of a user configuration file.
type file struct {
	Title  string `toml:"title"`
	Extend struct {
		UseDefault    *bool    `toml:"useDefault"`
		DisabledRules []string `toml:"disabledRules"`
	} `toml:"extend"`
	Rules      []Rule      `toml:"rules"`
	Allowlists []Allowlist `toml:"allowlists"`
	Allowlist  *Allowlist  `toml:"allowlist"` // the singular form older gitleaks configs use
}

// prefetched is the built-in rule set Prefetch is parsing, for the next
// Default call to take.
var prefetched atomic.Pointer[chan defaultSet]

type defaultSet struct {
	set *Set
	err error
}

// Prefetch starts building the built-in rule set in the background, for
// the next call of Default, which then waits for it rather than building:
// compiling its expressions and templates, 1-2 ms of a pre-commit hook's
// run otherwise spent before it reads anything. Each Default call still
// gets a set of its own.
func Prefetch() {
	ch := make(chan defaultSet, 1)
	if !prefetched.CompareAndSwap(nil, &ch) {
		return
	}
	go func() {
		s, err := parseDefault()
		ch <- defaultSet{s, err}
	}()
}

// Default returns the built-in rule set embedded from the rule files.
func Default() (*Set, error) {
	if ch := prefetched.Swap(nil); ch != nil {
		d := <-*ch
		return d.set, d.err
	}
	return parseDefault()
}

func parseDefault() (*Set, error) {
	s := &Set{}
	for _, b := range builtinFiles() {
		if err := s.add(b.file, b.name, false); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// builtinFile is a built-in rule file, as builtin_gen.go holds it: the
// TOML files of this package, parsed when the package is built rather than
// at every start.
type builtinFile struct {
	name string
	file *file
}

// MustDefault is Default for callers that cannot recover from a broken
// embedded rule set (a build defect caught by the package's tests).
func MustDefault() *Set {
	s, err := Default()
	if err != nil {
		panic(err)
	}
	return s
}

// LoadConfig reads a user configuration file and returns the rule set it
// describes: the default rules (unless [extend] useDefault = false) minus the
// disabled ones, with the file's rules added or merged over rules of the same
// id, and its allowlists.
func LoadConfig(path string, opts ...ConfigOption) (*Set, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return ParseConfig(path, b, opts...)
}

// ConfigOption changes how a configuration is loaded.
type ConfigOption func(*loadOptions)

type loadOptions struct{ untrusted bool }

// Untrusted marks the configuration as coming from the scanned repository
// itself: its rules' live checks may only reach hosts the user allows.
func Untrusted() ConfigOption { return func(o *loadOptions) { o.untrusted = true } }

// ParseConfig is LoadConfig for configuration text already in memory; name
// is used in error messages.
func ParseConfig(name string, b []byte, opts ...ConfigOption) (*Set, error) {
	var lo loadOptions
	for _, o := range opts {
		o(&lo)
	}
	f, err := parse(name, b)
	if err != nil {
		return nil, err
	}
	s := &Set{}
	if f.Extend.UseDefault == nil || *f.Extend.UseDefault {
		if s, err = Default(); err != nil {
			return nil, err
		}
	}
	if err := s.disable(name, f.Extend.DisabledRules); err != nil {
		return nil, err
	}
	if lo.untrusted {
		for i := range f.Rules {
			f.Rules[i].Untrusted = true
		}
	}
	if err := s.add(f, name, true); err != nil {
		return nil, err
	}
	return s, nil
}

func parse(name string, b []byte) (*file, error) {
	var f file
	md, err := toml.Decode(string(b), &f)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return nil, fmt.Errorf("%s: line %d: %s", name, perr.Position.Line, perr.Message)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return nil, fmt.Errorf("%s: unknown keys: %s", name, strings.Join(keys, ", "))
	}
	if f.Allowlist != nil {
		f.Allowlists = append(f.Allowlists, *f.Allowlist)
	}
	return &f, nil
}

func (s *Set) disable(name string, ids []string) error {
	for _, id := range ids {
		i := s.index(id)
		if i < 0 {
			return fmt.Errorf("%s: disabledRules: no rule %q", name, id)
		}
		s.Rules = append(s.Rules[:i], s.Rules[i+1:]...)
	}
	return nil
}

// add checks the file's rules and allowlists and adds them to the set. With
// merge, a rule whose id is already in the set is merged over it; without,
// duplicate ids are an error.
func (s *Set) add(f *file, name string, merge bool) error {
	for i := range f.Rules {
		r := f.Rules[i]
		r.Origin = name
		if old := s.index(r.ID); old >= 0 {
			if !merge {
				return fmt.Errorf("%s: rule %s defined twice", name, r.ID)
			}
			s.Rules[old] = mergeRule(s.Rules[old], r)
			if err := s.Rules[old].check(); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			continue
		}
		if err := r.check(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		s.Rules = append(s.Rules, &r)
	}
	for i := range f.Allowlists {
		if err := f.Allowlists[i].compile(); err != nil {
			return fmt.Errorf("%s: allowlist %d: %w", name, i+1, err)
		}
		s.Allowlists = append(s.Allowlists, f.Allowlists[i])
	}
	return nil
}

func (s *Set) index(id string) int {
	for i, r := range s.Rules {
		if r.ID == id {
			return i
		}
	}
	return -1
}

// Rule returns the rule with the given id, or nil.
func (s *Set) Rule(id string) *Rule {
	if i := s.index(id); i >= 0 {
		return s.Rules[i]
	}
	return nil
}

// mergeRule lays the fields an override sets over a base rule; allowlists and
// examples are added to the base rule's.
func mergeRule(base *Rule, o Rule) *Rule {
	r := *base
	r.Origin = o.Origin
	setString(&r.Provider, o.Provider)
	setString(&r.Description, o.Description)
	setString((*string)(&r.Severity), string(o.Severity))
	if o.Regex != "" || o.Detector != "" {
		r.Regex, r.Detector, r.Parts, r.SecretGroup = o.Regex, o.Detector, o.Parts, o.SecretGroup
	}
	if o.Entropy != 0 {
		r.Entropy = o.Entropy
	}
	if len(o.Keywords) > 0 {
		r.Keywords = o.Keywords
	}
	r.Generic = r.Generic || o.Generic
	r.Untrusted = r.Untrusted || o.Untrusted
	if o.Check != nil {
		r.Check = o.Check
	}
	r.Allowlists = append(append([]Allowlist(nil), base.Allowlists...), o.Allowlists...)
	r.Examples = append(append([]Example(nil), base.Examples...), o.Examples...)
	return &r
}

func setString(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}
