package detect

import (
	"fmt"
	"strings"
	"sync"

	"github.com/scanner-dev/scanner/rules"
)

// wordSet is one word list of the vocabulary.
type wordSet map[string]bool

// any reports whether one of the words is in the set.
func (s wordSet) any(ws []string) bool {
	for _, w := range ws {
		if s[w] {
			return true
		}
	}
	return false
}

// crispVocab is rules/vocabulary/crisp.toml, read once: what the words of a
// name mean to the Crisp pairing model.
type crispVocab struct {
	digest, key, ident, objectID, entity, credential, secretish, website, role, tier wordSet
	calls                                                                            map[string][]string
}

// vocab is read at its first use, not at start-up: most runs never weigh
// a Crisp pair, and parsing the file costs every command (scanner version
// too) some 4 ms.
var vocab = sync.OnceValue(mustVocab)

func mustVocab() *crispVocab {
	v, err := rules.LoadVocabulary("crisp")
	if err != nil {
		panic(err)
	}
	set := func(name string) wordSet {
		ws, ok := v.Words[name]
		if !ok || len(ws) == 0 {
			panic(fmt.Sprintf("vocabulary crisp: no word list %q", name))
		}
		s := wordSet{}
		for _, w := range ws {
			s[strings.ToLower(w)] = true
		}
		return s
	}
	return &crispVocab{
		digest: set("digest"), key: set("key"), ident: set("ident"), objectID: set("object_id"),
		entity: set("entity"), credential: set("credential"), secretish: set("secretish"),
		website: set("website"), role: set("role"), tier: set("tier"), calls: v.Calls,
	}
}

// callArgRole returns the role the vocabulary gives argument n (0-based) of
// the call named name, or "".
func callArgRole(name string, n int) string {
	args := vocab().calls[strings.Join(words(name), "_")]
	if n < 0 || n >= len(args) {
		return ""
	}
	return args[n]
}
