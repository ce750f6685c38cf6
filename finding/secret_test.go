package finding_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
)

func fixture(t *testing.T) *rules.Fixture {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	t.Logf("fixture seed %d", seed)
	return rules.NewFixture(rand.New(rand.NewPCG(seed, ^seed)))
}

// holder embeds a secret the way callers do, to check that printing a
// struct does not reach around the Secret's own methods.
type holder struct {
	Name  string
	Value finding.Secret
	Ptr   *finding.Secret
}

func TestSecretStaysRedacted(t *testing.T) {
	fx := fixture(t)
	values := map[string]string{"crisp identifier": fx.ID, "crisp key": fx.Key, "kustomer key": fx.KustomerKey,
		"bearer token": fx.Token, "password": fx.Password, "user": fx.User}
	for name, raw := range values {
		t.Run(name, func(t *testing.T) {
			s := finding.NewSecret(raw)
			h := holder{Name: "x", Value: s, Ptr: &s}
			part := finding.Part{Name: "p", Value: s}
			outputs := map[string]string{
				"%s": fmt.Sprintf("%s", s), "%v": fmt.Sprintf("%v", s), "%+v": fmt.Sprintf("%+v", s),
				"%q": fmt.Sprintf("%q", s), "%x": fmt.Sprintf("%x", s), "%X": fmt.Sprintf("%X", s),
				"%#v": fmt.Sprintf("%#v", s), "%d": fmt.Sprintf("%d", s), "String": s.String(),
				"struct %v": fmt.Sprintf("%v", h), "struct %+v": fmt.Sprintf("%+v", h), "struct %#v": fmt.Sprintf("%#v", h),
				"pointer %v": fmt.Sprintf("%v", &s), "part %#v": fmt.Sprintf("%#v", part), "Sprint": fmt.Sprint(s),
				"Sprintln": fmt.Sprintln(s, part),
			}
			for _, v := range []any{s, &s, h, part, []finding.Secret{s}, map[string]finding.Secret{"k": s}} {
				b, err := json.Marshal(v)
				if err != nil {
					t.Fatal(err)
				}
				outputs[fmt.Sprintf("json %T", v)] = string(b)
			}
			text, _ := s.MarshalText()
			outputs["MarshalText"] = string(text)
			for verb, out := range outputs {
				if strings.Contains(out, raw) || strings.Contains(out, fmt.Sprintf("%x", []byte(raw))) {
					t.Errorf("%s shows the raw value", verb)
				}
				if !strings.Contains(out, s.Redacted()) {
					t.Errorf("%s = %q does not show the redacted form %q", verb, strings.ReplaceAll(out, raw, "<raw>"), s.Redacted())
				}
			}
			if s.Reveal() != raw {
				t.Error("Reveal does not return the raw value")
			}
		})
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "****"},
		{"short", "****"},
		{"elevenchars", "****"},
		{"twelve-chars", "****"},
		{"fourteen-chars", "****"}, // a short password shows nothing
		{strings.Repeat("a", 23), "****"},
		{"ABCD" + strings.Repeat("-", 16) + "WXYZ", "ABCD…WXYZ"}, // 24: first and last four
		{"ABCD" + strings.Repeat("-", 24) + "WXYZ", "ABCD…WXYZ"},
		{"ünïcödé-välüé-ïs-lönger-thän-32-rünes", "ünïc…ünes"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := finding.Redact(tt.in); got != tt.want {
				t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
