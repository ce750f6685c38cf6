package detect

import (
	"strings"
	"testing"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
)

// weighText runs the pairing model over text as the Crisp engine does and
// returns the pairings weighed, the values, and the indexes of the winners.
func weighText(data []byte) ([]pairing, []crispSide, []int) {
	s := &scan{data: data}
	vals := crispValues(data)
	sides := make([]crispSide, len(vals))
	for i, v := range vals {
		sides[i] = crispSide{v: v, place: place(s, v.start, v.end)}
		sides[i].role, sides[i].why = crispRole(s, v, sides[i].place)
	}
	labels := &labelMemo{data: data, m: map[int]string{}}
	ps := weighAll(s, sides, labels, map[int]bool{}, nil)
	return ps, sides, choose(ps)
}

// winner returns the pairing that took the key, or nil.
func winner(ps []pairing, sides []crispSide, won []int, key string) *pairing {
	for _, i := range won {
		if sides[ps[i].key].v.text == key {
			return &ps[i]
		}
	}
	return nil
}

// without returns which identifier would take the key if the named term
// weighed nothing: the pairing with the best score less that term, among
// those for the key.
func without(ps []pairing, sides []crispSide, key, name string) string {
	best, bestScore := "", 0
	for _, p := range ps {
		if sides[p.key].v.text != key || p.rejected != "" && !strings.Contains(p.rejected, "better") {
			continue
		}
		score := p.score
		for _, tm := range p.terms {
			if tm.name == name {
				score -= tm.value
			}
		}
		if best == "" || score > bestScore {
			best, bestScore = sides[p.id].v.text, score
		}
	}
	return best
}

// TestEachWeightDecidesAPairing shows, for every weight of the model, a
// text in which that weight is what makes the key pair with the right
// identifier: with the term the right one wins, without it another would.
func TestEachWeightDecidesAPairing(t *testing.T) {
	pad := strings.Repeat("x", 120)
	cases := []struct{ term, text string }{
		{"structure:call", "// crisp\ncrisp.connect(\"{{.ID}}\",\n    \"{{.Key}}\"); other = \"{{.ID2}}\"\n"},
		{"structure:line", "// crisp\n{\"t\": \"{{.ID2}}\",\n \"t\": \"{{.Key}}\", \"t\": \"{{.ID}}\"}\n"},
		{"structure:object", "// crisp\nt = \"{{.ID2}}\"\ny = {\"t\": \"{{.ID}}\",\n  \"t\": \"{{.Key}}\"}\n"},
		{"structure:section", "[crisp]\nidentifier = {{.ID}}\n\na = 1\nb = 2\nc = 3\nd = 4\nkey = {{.Key}}\n[crisp2]\nidentifier = {{.ID2}}\n"},
		{"structure:block", "# crisp\nCRISP_IDENTIFIER={{.ID}}\nA=1\nB=2\nC=3\nD=4\nCRISP_KEY={{.Key}}\n\nCRISP_IDENTIFIER={{.ID2}}\n"},
		{"identifier_named", "# crisp\ntoken_id = {{.ID}}\nx = {{.ID2}}\n{{.Key}}\n"},
		{"same_qualifier", "CRISP_PROD_ID = {{.ID}}\nCRISP_ID = {{.ID2}}\nCRISP_PROD_KEY = {{.Key}}\n"},
		{"crosses_record", "crisp:\n  - identifier: {{.ID2}}\n  - key: {{.Key}}\n    identifier: {{.ID}}\n"},
		{"key_first", "# crisp\n{{.ID}} " + pad + "\n{{.Key}}\n{{.ID2}}\n"},
		{"lines", "# crisp\n{{.ID2}}\nx\n{{.ID}}\n{{.Key}}\n"},
		{"bytes", "# crisp\n{{.ID2}} " + strings.Repeat(",", 120) + " {{.ID}} {{.Key}}\n"},
	}
	for _, c := range cases {
		t.Run(c.term, func(t *testing.T) {
			fx := fixture(t)
			ps, sides, won := weighText(render(t, fx, c.text))
			w := winner(ps, sides, won, fx.Key)
			if w == nil || sides[w.id].v.text != fx.ID {
				t.Fatalf("the key did not pair with the right identifier: %+v", w)
			}
			if alt := without(ps, sides, fx.Key, c.term); alt == fx.ID {
				t.Errorf("without %s the same identifier would still win: the text does not show the weight", c.term)
			}
		})
	}
}

// TestKeyNamedDecidesAPairing is the key's side: one identifier, two keys,
// and the key named a key takes it.
func TestKeyNamedDecidesAPairing(t *testing.T) {
	fx := fixture(t)
	ps, sides, won := weighText(render(t, fx, "# crisp\nsecret = {{.Key}}\ny = {{.Key2}}\n{{.ID}}\n"))
	if w := winner(ps, sides, won, fx.Key); w == nil || sides[w.id].v.text != fx.ID {
		t.Fatalf("the named key lost the identifier")
	}
	best, bestScore := "", 0
	for _, p := range ps {
		score := p.score
		for _, tm := range p.terms {
			if tm.name == "key_named" {
				score -= tm.value
			}
		}
		if best == "" || score > bestScore {
			best, bestScore = sides[p.key].v.text, score
		}
	}
	if best == fx.Key {
		t.Error("without key_named the same key would still win")
	}
}

// TestPairingGates shows the gates: unnamed values far apart without a
// shared structure never pair; in one structure they pair far apart only
// when both are named; nothing pairs beyond structureLines.
func TestPairingGates(t *testing.T) {
	filler := func(n int, prefix string) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(prefix + strings.Repeat("a", i%5+1) + "=1\n")
		}
		return b.String()
	}
	cases := []struct {
		name, text string
		paired     bool
	}{
		{"named, one .env block, 12 lines", "# crisp\nCRISP_IDENTIFIER={{.ID}}\n" + filler(11, "OPT_") + "CRISP_KEY={{.Key}}\n", true},
		{"unnamed, one .env block, 12 lines", "# crisp\nA={{.ID}}\n" + filler(11, "OPT_") + "A={{.Key}}\n", false},
		{"named, no shared structure, 12 lines", "# crisp\nCRISP_IDENTIFIER={{.ID}}\n\n" + strings.Repeat("x\n\n", 5) + "CRISP_KEY={{.Key}}\n", false},
		{"unnamed, nearby", "# crisp\nA={{.ID}}\n\nA={{.Key}}\n", true},
		{"names of different credentials", "# crisp\nAPP_ID={{.ID}}\nJWT_SECRET={{.Key}}\n", false},
		{"names of different tokens", "# crisp\nCRISP_PROD_ID={{.ID}}\nCRISP_DEV_KEY={{.Key}}\n", false},
		{"names that agree once role words go", "# crisp\nCRISP_USER={{.ID}}\nCRISP_PASSWORD={{.Key}}\n", true},
		{"named, one section, beyond structureLines", "[crisp]\nidentifier = {{.ID}}\n" + filler(structureLines+1, "opt_") + "key = {{.Key}}\n", false},
	}
	d := New(rules.MustDefault())
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fx := fixture(t)
			want := finding.Fingerprint(finding.Part{Value: finding.NewSecret(fx.ID + ":" + fx.Key)})
			got := false
			for _, f := range d.Detect(finding.Chunk{ID: "t", Data: render(t, fx, c.text), Line: 1}) {
				got = got || f.Fingerprint == want
			}
			if got != c.paired {
				t.Errorf("paired = %v, want %v", got, c.paired)
			}
		})
	}
}
