package hookpolicy

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/rules"
	"github.com/scanner-dev/scanner/source"
)

// fakeRepo is a receiving repository whose push adds one file.
type fakeRepo struct {
	content    string
	allowSkip  bool  // git config scanner.allowSkip true
	pushedErr  error // the push cannot be read
	gotUpdates []source.RefUpdate
}

func (r *fakeRepo) ConfigBool(_ context.Context, key string) (bool, error) {
	return key == AllowSkipKey && r.allowSkip, nil
}

func (r *fakeRepo) Pushed(_ context.Context, updates []source.RefUpdate) (source.Source, error) {
	r.gotUpdates = updates
	if r.pushedErr != nil {
		return nil, r.pushedErr
	}
	return source.NewReader("config/app.env", strings.NewReader(r.content), source.Options{Log: zerolog.Nop()}), nil
}

func TestJudge(t *testing.T) {
	f := rules.NewFixture(rand.New(rand.NewPCG(13, 14)))
	leak := "CRISP_IDENTIFIER=" + f.ID + "\nCRISP_KEY=" + f.Key + "\n"
	skip := func(k string) string {
		return map[string]string{"GIT_PUSH_OPTION_COUNT": "1", "GIT_PUSH_OPTION_0": SkipOption, "USER": "ada"}[k]
	}
	none := func(string) string { return "" }
	tests := []struct {
		name         string
		repo         *fakeRepo
		allow        bool
		getenv       func(string) string
		wantAccepted bool
		wantErr      bool
		wantOut      []string
	}{
		{"clean", &fakeRepo{content: "nothing here\n"}, false, none, true, false, nil},
		{"leak", &fakeRepo{content: leak}, false, none, false, false, []string{"push rejected: 1 credential", "config/app.env:1"}},
		{"leak, skip allowed by config, not asked", &fakeRepo{content: leak, allowSkip: true}, false, none, false, false, []string{"push rejected", "git push -o " + SkipOption}},
		{"leak, skip asked, not allowed", &fakeRepo{content: leak}, false, skip, false, false, []string{"is not allowed on this server", "push rejected"}},
		{"leak, skip asked and allowed", &fakeRepo{content: leak}, true, skip, true, false, []string{"scan bypassed", "1 credential(s) let through"}},
		{"unreadable push", &fakeRepo{pushedErr: errors.New("no git")}, false, none, false, true, nil},
		{"unreadable push, skip allowed", &fakeRepo{pushedErr: errors.New("no git"), allowSkip: true}, false, skip, true, false, []string{"scan bypassed", "0 credential(s)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, log bytes.Buffer
			h := Hook{AllowSkip: tt.allow, Getenv: tt.getenv, Stderr: &out, Log: zerolog.New(&log)}
			updates := []source.RefUpdate{{Old: strings.Repeat("0", 40), New: strings.Repeat("a", 40), Ref: "refs/heads/main"}}
			accepted, err := h.Judge(context.Background(), tt.repo, updates)
			if accepted != tt.wantAccepted || (err != nil) != tt.wantErr {
				t.Fatalf("accepted %v, err %v; want %v, error %v\n%s", accepted, err, tt.wantAccepted, tt.wantErr, out.String())
			}
			if len(tt.repo.gotUpdates) != 1 {
				t.Errorf("the push read %d updates", len(tt.repo.gotUpdates))
			}
			for _, want := range tt.wantOut {
				if !strings.Contains(out.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, out.String())
				}
			}
			if len(tt.wantOut) == 0 && out.Len() > 0 {
				t.Errorf("stderr: %s", out.String())
			}
			if strings.Contains(out.String()+log.String(), f.Key) {
				t.Error("a raw key reached stderr or the log")
			}
			if tt.name == "leak, skip asked and allowed" && !strings.Contains(log.String(), `"pusher":"ada"`) {
				t.Errorf("the bypass is not logged with the pusher: %s", log.String())
			}
		})
	}
}
