package detect

import (
	"math/rand/v2"
	"testing"

	"github.com/scanner-dev/scanner/rules"
)

// TestRuleExamples runs every built-in rule's positive and negative examples,
// filled with freshly generated values, several times over.
func TestRuleExamples(t *testing.T) {
	set := rules.MustDefault()
	d := New(set)
	for _, r := range set.Rules {
		t.Run(r.ID, func(t *testing.T) {
			if len(r.Examples) == 0 {
				t.Fatal("rule has no examples")
			}
			var pos, neg int
			for _, ex := range r.Examples {
				if ex.Positive() {
					pos++
				} else {
					neg++
				}
			}
			if pos == 0 || neg == 0 {
				t.Fatalf("rule needs positive and negative examples, has %d and %d", pos, neg)
			}
			for seed := uint64(0); seed < 20; seed++ {
				fx := rules.NewFixture(rand.New(rand.NewPCG(seed, 99)))
				for _, err := range d.CheckExamples(r, fx) {
					t.Errorf("seed %d: %v", seed, err)
				}
			}
		})
	}
}
