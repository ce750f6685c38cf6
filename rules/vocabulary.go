package rules

import (
	"embed"
	"fmt"

	"github.com/BurntSushi/toml"
)

//go:embed vocabulary/*.toml
var vocabularyFS embed.FS

// Vocabulary is the data a built-in detector reads names with: word lists
// by meaning, and the roles of the positional arguments of known calls.
type Vocabulary struct {
	Words map[string][]string `toml:"words"`
	Calls map[string][]string `toml:"calls"`
}

// LoadVocabulary returns the embedded vocabulary of a detector
// (vocabulary/NAME.toml).
func LoadVocabulary(name string) (*Vocabulary, error) {
	b, err := vocabularyFS.ReadFile("vocabulary/" + name + ".toml")
	if err != nil {
		return nil, fmt.Errorf("vocabulary %s: %w", name, err)
	}
	var v Vocabulary
	md, err := toml.Decode(string(b), &v)
	if err != nil {
		return nil, fmt.Errorf("vocabulary %s: %w", name, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("vocabulary %s: unknown key %s", name, und[0])
	}
	return &v, nil
}
