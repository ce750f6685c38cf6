package remediate

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
)

// Run with a dry-run writer prints the plan and runs nothing; without one
// it runs the same steps.
func TestRunDryRunThenForReal(t *testing.T) {
	fx := newFixture(t)
	hits := 0
	hook := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits++ }))
	defer hook.Close()
	fx.cfg = &Config{Webhook: []Webhook{{URL: hook.URL + "/hook/" + randHex(t, 16)}}}
	id, key := crispPair(t)
	incs := Group([]finding.Finding{crispFinding(id, key, "a.env", "", finding.Live)}, "acme/app", finding.Live)
	var b bytes.Buffer
	if err := fx.remediator(false).Run(context.Background(), incs, &b, zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	if hits != 0 || b.Len() == 0 {
		t.Fatalf("dry run: %d webhook calls, printed %q", hits, b.String())
	}
	noRaw(t, "plan", b.String(), id, key)
	if err := fx.remediator(false).Run(context.Background(), incs, nil, zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	if hits == 0 {
		t.Errorf("applied: no webhook call")
	}
}

func TestRepoName(t *testing.T) {
	env := func(v string) func(string) string { return func(string) string { return v } }
	origin := func() string { return "git@github.com:acme/app.git" }
	for _, tt := range []struct{ flag, env, want string }{
		{"me/flag", "acme/env", "me/flag"}, {"", "acme/env", "acme/env"}, {"", "", "acme/app"},
	} {
		if got := RepoName(tt.flag, env(tt.env), origin); got != tt.want {
			t.Errorf("RepoName(%q, %q) = %q, want %q", tt.flag, tt.env, got, tt.want)
		}
	}
	if got := RepoName("", env(""), nil); got != "" {
		t.Errorf("no origin: %q", got)
	}
}

func TestStatuses(t *testing.T) {
	if got := Statuses(false); len(got) != 1 || got[0] != finding.Live {
		t.Errorf("Statuses(false) = %v", got)
	}
	if got := Statuses(true); len(got) != 2 || got[1] != finding.Unknown {
		t.Errorf("Statuses(true) = %v", got)
	}
}
