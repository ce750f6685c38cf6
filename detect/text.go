package detect

import (
	"math"
	"strings"
)

func isHexByte(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F'
}

func isAlnum(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// isWordByte reports whether b continues an identifier-like word.
func isWordByte(b byte) bool { return isAlnum(b) || b == '_' }

func isB64Byte(b byte) bool { return isAlnum(b) || b == '+' || b == '/' }

// entropy returns the Shannon entropy of s in bits per byte.
func entropy(s string) float64 {
	if s == "" {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	var h float64
	n := float64(len(s))
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

func distinct(s string) int {
	var seen [256]bool
	n := 0
	for i := 0; i < len(s); i++ {
		if !seen[s[i]] {
			seen[s[i]] = true
			n++
		}
	}
	return n
}

// sequential reports whether s holds a run of n characters that step up one
// at a time through digits or letters ("123456", "abcdef"), which real random
// values almost never do and placeholders often do.
func sequential(s string, n int) bool {
	s = strings.ToLower(s)
	run := 1
	for i := 1; i < len(s); i++ {
		if s[i] == s[i-1]+1 && isAlnum(s[i]) && isAlnum(s[i-1]) {
			run++
			if run >= n {
				return true
			}
		} else {
			run = 1
		}
	}
	return false
}

// repetitive reports whether s repeats a pattern of at most maxPeriod
// characters over its whole length ("abab...", "1234512345...").
func repetitive(s string, maxPeriod int) bool {
	for p := 1; p <= maxPeriod && p*2 <= len(s); p++ {
		ok := true
		for i := p; i < len(s); i++ {
			if s[i] != s[i-p] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func hasDigitAndLetter(s string) bool {
	var d, l bool
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			d = true
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			l = true
		}
	}
	return d && l
}

// mixedCase reports whether s holds both lower- and upper-case letters.
func mixedCase(s string) bool {
	return strings.ToLower(s) != s && strings.ToUpper(s) != s
}

// labelKind says how a label relates to the value after it.
type labelKind int

const (
	labelNone labelKind = iota
	labelKey            // NAME = value, "name": value, name: value
	labelCall           // fn(value
	labelPath           // /segment/value
	labelWord           // word value (a flag or a keyword before the value)
	labelArg            // f(a, value): a positional argument, no name
)

// labelBefore finds the name given to the value starting at pos, looking back
// along the line over quotes, escapes and spaces: the key of an assignment or
// mapping, the function of a first argument, the URL segment before it.
func labelBefore(data []byte, pos int) (string, labelKind) {
	i := pos - 1
	stop := max(0, pos-96)
	skip := func(set string) {
		for i >= stop && strings.IndexByte(set, data[i]) >= 0 {
			i--
		}
	}
	skip("\"'`\\ \t")
	if i < stop {
		return "", labelNone
	}
	kind := labelWord
	switch data[i] {
	case '=', ':':
		kind = labelKey
		i--
		skip("=:>!<+ \t\"'`\\")
		if i >= stop && data[i] == ']' { // os.environ["X"] style keys
			i--
			skip("\"'`\\")
		}
	case '(':
		kind = labelCall
		i--
	case '/':
		kind = labelPath
		i--
	case ',':
		return "", labelArg
	}
	end := i + 1
	for i >= stop && (isWordByte(data[i]) || data[i] == '-' || data[i] == '.') {
		i--
	}
	if end <= i+1 {
		return "", labelNone
	}
	return string(data[i+1 : end]), kind
}

// words splits a label into lowercase words at '_', '-', '.', digits-letter
// boundaries and camelCase humps: "CRISP_WEBSITE_ID" and "crispWebsiteId"
// both give [crisp website id].
func words(label string) []string {
	var out []string
	var cur []byte
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	for i := 0; i < len(label); i++ {
		c := label[i]
		if !isAlnum(c) {
			flush()
			continue
		}
		if c >= 'A' && c <= 'Z' && i > 0 && label[i-1] >= 'a' && label[i-1] <= 'z' {
			flush()
		}
		cur = append(cur, c)
	}
	flush()
	return out
}

func hasWord(ws []string, set ...string) bool {
	for _, w := range ws {
		for _, s := range set {
			if w == s {
				return true
			}
		}
	}
	return false
}

// envReference reports whether s reads a value from somewhere else instead
// of holding it: process.env.X, os.environ, getenv, ${X}, {{ x }}.
func envReference(s string) bool {
	low := strings.ToLower(s)
	for _, m := range []string{"process.env", "os.environ", "getenv", "${", "{{", "env[", "env("} {
		if strings.Contains(low, m) {
			return true
		}
	}
	return false
}
