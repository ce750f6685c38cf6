package remediate

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
)

func TestCheckFlags(t *testing.T) {
	for _, tt := range []struct {
		s         Settings
		validates bool
		ok        bool
	}{
		{Settings{}, false, true},
		{Settings{Enabled: true}, true, true},
		{Settings{Enabled: true}, false, false},
		{Settings{Unknown: true}, false, false},
		{Settings{PullRequest: -1}, true, false},
	} {
		if err := tt.s.CheckFlags(tt.validates); (err == nil) != tt.ok {
			t.Errorf("%+v validates=%v: %v", tt.s, tt.validates, err)
		}
	}
}

// AfterScan does nothing unless asked, and refuses unvalidated findings
// before it opens anything.
func TestAfterScan(t *testing.T) {
	unvalidated := []finding.Finding{{RuleID: "crisp-token"}}
	ctx, log := context.Background(), zerolog.Nop()
	if err := (Settings{}).AfterScan(ctx, unvalidated, Scope{}, io.Discard, log); err != nil {
		t.Errorf("not asked: %v", err)
	}
	err := Settings{Enabled: true}.AfterScan(ctx, unvalidated, Scope{}, io.Discard, log)
	if !errors.Is(err, errNeedsValidation) {
		t.Errorf("unvalidated: %v, want %v", err, errNeedsValidation)
	}
}
