package source

import (
	"path/filepath"
	"testing"

	"github.com/rs/zerolog"
)

func TestSelectionLabelAndBase(t *testing.T) {
	for _, c := range []struct {
		sel         Selection
		label, base string
	}{
		{Selection{Scope: WholeHistory}, "", ""},
		{RangeSelection(""), "", ""},
		{RangeSelection("main..topic"), "main..topic", "main"},
		{RangeSelection("v1...HEAD"), "v1...HEAD", "v1"},
		{Selection{Scope: StagedOnly}, "staged", ""},
		{Selection{Scope: TrackedFiles}, "index", ""},
	} {
		if got := c.sel.Label(); got != c.label {
			t.Errorf("%+v: label %q, want %q", c.sel, got, c.label)
		}
		if got := c.sel.Base(); got != c.base {
			t.Errorf("%+v: base %q, want %q", c.sel, got, c.base)
		}
	}
}

// What a run selects from its flags and, as a pre-commit hook, from how
// pre-commit called it.
func TestSelect(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "one\n")
	r.commit("one", day(1), "")
	repo := r.open()
	hookRange := map[string]string{"PRE_COMMIT_FROM_REF": "A", "PRE_COMMIT_TO_REF": "B"}
	check := func(name string, w Want, env map[string]string, want Selection) {
		t.Helper()
		got, err := repo.Select(bg(), w, func(k string) string { return env[k] }, zerolog.Nop())
		if err != nil || got != want {
			t.Errorf("%s: %+v, %v; want %+v", name, got, err, want)
		}
	}
	check("nothing asked", Want{}, nil, Selection{Scope: WholeHistory})
	check("--range", Want{Range: "A..B"}, nil, RangeSelection("A..B"))
	check("--staged", Want{Staged: true}, nil, Selection{Scope: StagedOnly})
	check("gitleaks' --log-opts", Want{LogOpts: "--all A..B"}, nil, RangeSelection("A..B"))
	check("a hook reads no --log-opts", Want{PreCommit: true, LogOpts: "C..D"}, hookRange, RangeSelection("A..B"))
	if _, err := repo.Select(bg(), Want{LogOpts: "--since=1d"}, nil, zerolog.Nop()); err == nil {
		t.Error("--log-opts --since=1d: no error")
	}
	check("pre-commit's refs ignored outside the hook", Want{}, hookRange, Selection{Scope: WholeHistory})
	check("hook with pre-commit's refs", Want{PreCommit: true, Staged: true}, hookRange, RangeSelection("A..B"))
	check("hook's own --range wins", Want{PreCommit: true, Range: "C..D"}, hookRange, RangeSelection("C..D"))
	check("hook without --staged", Want{PreCommit: true}, nil, Selection{Scope: WholeHistory})
	check("hook, nothing staged (--all-files)", Want{PreCommit: true, Staged: true}, nil, Selection{Scope: TrackedFiles})
	r.write("b.txt", "two\n")
	r.git("add", "b.txt")
	check("hook, something staged", Want{PreCommit: true, Staged: true}, nil, Selection{Scope: StagedOnly})
}

// Pick keeps a selection given (the Action's) and else selects from the
// flags.
func TestPick(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "one\n")
	r.commit("one", day(1), "")
	repo := r.open()
	getenv := func(string) string { return "" }
	sel, src, err := repo.Pick(bg(), Selection{Scope: TrackedFiles}, Want{Range: "A..B"}, getenv, zerolog.Nop())
	if err != nil || sel != (Selection{Scope: TrackedFiles}) || src == nil {
		t.Errorf("given: %+v, %v, %v", sel, src, err)
	}
	sel, _, err = repo.Pick(bg(), Selection{}, Want{Staged: true}, getenv, zerolog.Nop())
	if err != nil || sel != (Selection{Scope: StagedOnly}) {
		t.Errorf("from the flags: %+v, %v", sel, err)
	}
}

func TestSelectedReadsTheSelection(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "one\n")
	base := r.commit("one", day(1), "")
	r.write("b.txt", "two\n")
	r.commit("two", day(2), "")
	r.write("c.txt", "three\n")
	r.git("add", "c.txt")
	repo := r.open()
	for _, c := range []struct {
		sel  Selection
		want int // distinct contents read
	}{
		{Selection{Scope: WholeHistory}, 3}, // every object, the staged blob too
		{RangeSelection(base + "..HEAD"), 1},
		{Selection{Scope: StagedOnly}, 1},
		{Selection{Scope: TrackedFiles}, 3},
	} {
		src, err := repo.Selected(bg(), c.sel)
		if err != nil {
			t.Fatalf("%+v: %v", c.sel, err)
		}
		if got := len(collect(t, src)); got != c.want {
			t.Errorf("%+v: %d contents, want %d", c.sel, got, c.want)
		}
	}
}

func TestTopLevelAndOriginURL(t *testing.T) {
	r := newTestRepo(t)
	r.write("sub/a.txt", "one\n")
	r.commit("one", day(1), "")
	r.git("remote", "add", "origin", "https://github.com/acme/app.git")
	root, _ := filepath.EvalSymlinks(r.dir)
	if got, _ := filepath.EvalSymlinks(TopLevel(bg(), filepath.Join(r.dir, "sub"))); got != root {
		t.Errorf("TopLevel = %q, want %q", got, root)
	}
	outside := t.TempDir()
	if got := TopLevel(bg(), outside); got != outside {
		t.Errorf("TopLevel outside a repository = %q", got)
	}
	if got := OriginURL(bg(), r.dir); got != "https://github.com/acme/app.git" {
		t.Errorf("OriginURL = %q", got)
	}
	if got := OriginURL(bg(), ""); got != "" {
		t.Errorf("OriginURL of no directory = %q", got)
	}
}
