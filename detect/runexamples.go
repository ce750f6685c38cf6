package detect

import (
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/scanner-dev/scanner/rules"
)

// ExampleResult counts what RunExamples did.
type ExampleResult struct{ Rules, Examples, Failed int }

// RunExamples runs the examples of the rules of set that come from file
// (every rule when file is empty), filled with random values, and writes
// each failure, each rule without examples, and the counts on w.
func RunExamples(w io.Writer, set *rules.Set, file string) ExampleResult {
	d := New(set)
	fx := rules.NewFixture(rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())))
	var res ExampleResult
	for _, r := range set.Rules {
		if file != "" && r.Origin != file {
			continue
		}
		res.Rules++
		res.Examples += len(r.Examples)
		if len(r.Examples) == 0 {
			fmt.Fprintf(w, "warn  %s: no examples; add positive and negative ones\n", r.ID)
		}
		for _, err := range d.CheckExamples(r, fx) {
			res.Failed++
			fmt.Fprintf(w, "FAIL  %s\n", err)
		}
	}
	if res.Rules == 0 {
		fmt.Fprintf(w, "no rules from %s\n", file)
	} else {
		fmt.Fprintf(w, "%d rules, %d examples, %d failed\n", res.Rules, res.Examples, res.Failed)
	}
	return res
}

// Passed reports whether there were rules to test and every example
// passed.
func (r ExampleResult) Passed() bool { return r.Rules > 0 && r.Failed == 0 }
