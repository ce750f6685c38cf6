package ghaction

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

var (
	shaA = strings.Repeat("a", 40)
	shaB = strings.Repeat("b", 40)
)

func TestPlan(t *testing.T) {
	pr := map[string]any{"pull_request": map[string]any{"number": 9, "base": map[string]any{"sha": shaA}, "head": map[string]any{"sha": shaB}}}
	repo := map[string]any{"default_branch": "main"}
	for _, c := range []struct {
		name, event string
		payload     map[string]any
		want        string // Range(), or "full", "empty", "error"
	}{
		{"pull request", "pull_request", pr, shaA + ".." + shaB},
		{"pull request target", "pull_request_target", pr, shaA + ".." + shaB},
		{"pull request without shas", "pull_request", map[string]any{"pull_request": map[string]any{}}, "error"},
		{"push", "push", map[string]any{"ref": "refs/heads/x", "before": shaA, "after": shaB, "repository": repo}, shaA + ".." + shaB},
		{"new branch", "push", map[string]any{"ref": "refs/heads/x", "before": zeroSHA, "after": shaB, "repository": repo}, "refs/remotes/origin/main.." + shaB},
		{"first push of the default branch", "push", map[string]any{"ref": "refs/heads/main", "before": zeroSHA, "after": shaB, "repository": repo}, "full"},
		{"new branch, default unknown", "push", map[string]any{"ref": "refs/heads/x", "before": zeroSHA, "after": shaB}, "full"},
		{"deleted branch", "push", map[string]any{"ref": "refs/heads/x", "before": shaA, "after": zeroSHA, "deleted": true}, "empty"},
		{"bad default branch", "push", map[string]any{"ref": "refs/heads/x", "before": zeroSHA, "after": shaB, "repository": map[string]any{"default_branch": "-x:y"}}, "error"},
		{"bad before", "push", map[string]any{"before": "HEAD~1", "after": shaB}, "error"},
		{"schedule", "schedule", map[string]any{}, "full"},
		{"workflow_dispatch", "workflow_dispatch", nil, "full"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var data []byte
			if c.payload != nil {
				data, _ = json.Marshal(c.payload)
			}
			ev, err := ParseEvent(c.event, data)
			if err != nil {
				t.Fatal(err)
			}
			p, err := ev.Plan()
			got := p.Range()
			switch {
			case err != nil:
				got = "error"
			case p.Full:
				got = "full"
			case p.Empty:
				got = "empty"
			}
			if got != c.want {
				t.Errorf("plan %q (%v), want %q", got, err, c.want)
			}
		})
	}
}

// checkout is a Fetcher over a set of known commits.
type checkout struct {
	have    map[string]bool
	shallow bool
	remote  map[string]bool // what origin can give
	fetched [][]string
}

func (c *checkout) HasCommit(_ context.Context, rev string) bool { return c.have[rev] }
func (c *checkout) Shallow(context.Context) bool                 { return c.shallow }
func (c *checkout) Fetch(_ context.Context, unshallow bool, refspecs ...string) error {
	c.fetched = append(c.fetched, refspecs)
	if unshallow {
		c.shallow = false
	}
	for _, r := range refspecs {
		if !c.remote[r] {
			return errors.New("not our ref")
		}
		c.have[strings.TrimPrefix(r[strings.LastIndex(r, ":")+1:], "+")] = true
	}
	return nil
}

func TestPrepare(t *testing.T) {
	ctx := context.Background()
	rng := Plan{Base: shaA, Head: shaB}
	c := &checkout{have: map[string]bool{shaA: true}, shallow: true, remote: map[string]bool{shaB: true}}
	if _, err := Prepare(ctx, c, rng); err != nil || c.shallow || len(c.fetched) != 1 || c.fetched[0][0] != shaB {
		t.Errorf("missing head in a shallow checkout: err %v, fetched %v, shallow %v", err, c.fetched, c.shallow)
	}
	c = &checkout{have: map[string]bool{shaA: true, shaB: true}}
	if _, err := Prepare(ctx, c, rng); err != nil || len(c.fetched) != 0 {
		t.Errorf("complete checkout: err %v, fetched %v", err, c.fetched)
	}
	c = &checkout{have: map[string]bool{shaA: true}, remote: map[string]bool{}}
	if _, err := Prepare(ctx, c, rng); err == nil || !strings.Contains(err.Error(), "fetch-depth: 0") {
		t.Errorf("unfetchable head: %v", err)
	}
	c = &checkout{have: map[string]bool{}, shallow: true, remote: map[string]bool{allBranches: true}}
	if _, err := Prepare(ctx, c, Plan{Full: true}); err != nil || c.shallow {
		t.Errorf("full scan of a shallow checkout: %v", err)
	}
	if _, err := Prepare(ctx, &checkout{}, Plan{Empty: true}); err != nil {
		t.Errorf("empty plan: %v", err)
	}
}
