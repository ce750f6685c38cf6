package detect

import (
	"sort"
)

// The Crisp pairing model. Each UUID (a possible token identifier) and each
// 64-hex value (a possible key) is placed in its structures (the call, line,
// object, [section] and blank-line block that hold it) and named (its label,
// the call argument it is). A pair is considered when the two values share
// a structure, or, with no shared structure, sit within nearbyLines. Its
// score is the sum of the weights below that apply; pairs are taken best
// first and each value is used once. The score ranks; the gates decide.
// Word lists live in rules/vocabulary/crisp.toml. --explain prints every
// term of every pair considered.
const (
	// The innermost structure both values are in.
	weightSameCall    = 400 // arguments of one call: authenticateTier("plugin", id, key)
	weightSameLine    = 300 // one line: "id key", a table row, "-u id:key"
	weightSameObject  = 300 // one JSON/JS object or YAML mapping: {identifier: .., key: ..}
	weightSameSection = 250 // one INI/TOML [section]
	weightSameBlock   = 150 // one group of lines between blank lines: a .env block
	weightNearby      = 0   // nothing shared but the file, within nearbyLines

	// What the names say.
	weightIdentifierNamed = 200  // the UUID is named an identifier: CRISP_IDENTIFIER, token_id, authenticate's 1st argument
	weightKeyNamed        = 100  // the hex value is named a key: CRISP_KEY, token_key, secret
	weightSameQualifier   = 150  // names agree without role words: CRISP_PROD_ID with CRISP_PROD_KEY
	weightOtherQualifier  = -150 // names disagree without role words: CRISP_PROD_ID with CRISP_DEV_KEY, APP_ID with JWT_SECRET (also a gate)

	// Where they are relative to each other.
	weightCrossesRecord = -300 // a record boundary between them: "},{", a new "- " item, another [section]
	weightKeyFirst      = -30  // the key comes first (identifiers usually come first)
	weightPerLine       = -50  // each line between them
	weightPer100Bytes   = -5   // each 100 bytes between them
)

// The gates: how far apart two values may be.
const (
	// Two values in no common structure pair only within this many lines
	// and bytes.
	nearbyLines, nearbyBytes = 8, 2000
	// Two values in one structure pair up to this far apart, as long as
	// both are named for their part (identifier and key) when they are
	// further apart than nearbyLines.
	structureLines, structureBytes = 40, 6000
)

// term is one weight that applies to a pair, by name.
type term struct {
	name  string
	value int
}

// pairing is one identifier and key considered together, with the reason
// it was rejected ("" when it is a candidate).
type pairing struct {
	id, key  int // indexes into the values
	shared   structure
	terms    []term
	score    int
	rejected string
}

// crispSide is a value with what the model knows of it.
type crispSide struct {
	v     crispValue
	role  role
	why   string // what named the role: the label or call argument
	place placement
	far   bool // too far from any Crisp keyword to be in an anchored pair: not read
	// checksum: a hex value in the digest column of a checksum list
	checksum bool
}

// weigh scores an identifier and a key, or says why they cannot pair.
func weigh(s *scan, id, key *crispSide, labels *labelMemo) pairing {
	p := pairing{}
	sh, ok := shared(id.place, key.place)
	dl := key.place.line - id.place.line
	db := abs(key.v.start - id.v.start)
	named := id.role == roleIdentifier && key.role == roleKey
	switch {
	case !ok && (abs(dl) > nearbyLines || db > nearbyBytes):
		p.rejected = "no shared structure and too far apart"
	case ok && (abs(dl) > structureLines || db > structureBytes):
		p.rejected = "too far apart even in one " + sh.kind.String()
	case abs(dl) > nearbyLines && !named:
		p.rejected = "far apart and not both named identifier and key"
	}
	if !ok {
		sh = structure{kind: structNone}
	}
	p.shared = sh
	add := func(name string, v int) {
		p.terms = append(p.terms, term{name, v})
		p.score += v
	}
	add("structure:"+sh.kind.String(), structWeight(sh.kind))
	if id.role == roleIdentifier {
		add("identifier_named", weightIdentifierNamed)
	}
	if key.role == roleKey {
		add("key_named", weightKeyNamed)
	}
	il, kl := labels.at(id.v.start), labels.at(key.v.start)
	if qi, qk := qualifier(il), qualifier(kl); il != "" && kl != "" {
		switch {
		case qi == qk:
			add("same_qualifier", weightSameQualifier)
		case qi != "" && qk != "":
			add("other_qualifier", weightOtherQualifier)
			if p.rejected == "" {
				p.rejected = "names disagree (" + qi + " / " + qk + "): parts of different credentials"
			}
		}
	}
	if crossesRecord(s, id, key) {
		add("crosses_record", weightCrossesRecord)
	}
	if dl < 0 || dl == 0 && key.v.start < id.v.start {
		add("key_first", weightKeyFirst)
	}
	if dl != 0 {
		add("lines", weightPerLine*abs(dl))
	}
	if db >= 100 {
		add("bytes", weightPer100Bytes*(db/100))
	}
	return p
}

func structWeight(k structKind) int {
	switch k {
	case structCall:
		return weightSameCall
	case structLine:
		return weightSameLine
	case structObject:
		return weightSameObject
	case structSection:
		return weightSameSection
	case structBlock:
		return weightSameBlock
	}
	return weightNearby
}

// crossesRecord reports whether a record boundary stands between the two
// values: they are in different [sections], or the text between closes one
// record and opens the next.
func crossesRecord(s *scan, a, b *crispSide) bool {
	sa, oka := a.place.of(structSection)
	sb, okb := b.place.of(structSection)
	if oka && okb && sa.start != sb.start {
		return true
	}
	return recordBoundary(s.data[min(a.v.end, b.v.end):max(a.v.start, b.v.start)])
}

// choose takes the candidate pairings best first, each value once, and
// marks the ones that lose a value to a better pairing.
func choose(ps []pairing) []int {
	order := make([]int, 0, len(ps))
	for i := range ps {
		if ps[i].rejected == "" {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return ps[order[a]].score > ps[order[b]].score })
	used := map[int]bool{}
	var won []int
	for _, i := range order {
		p := &ps[i]
		switch {
		case used[p.key]:
			p.rejected = "the key paired better elsewhere"
		case used[p.id]:
			p.rejected = "the identifier paired better elsewhere"
		default:
			used[p.key], used[p.id] = true, true
			won = append(won, i)
		}
	}
	return won
}
