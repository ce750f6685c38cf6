package detect

import (
	"math"
	"regexp"
	"strings"
	"sync"
)

func isHexByte(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F'
}

func isAlnum(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// isWordByte reports whether b continues an identifier-like word.
func isWordByte(b byte) bool { return isAlnum(b) || b == '_' }

func isB64Byte(b byte) bool { return b64Class[b]&b64Std != 0 }

// Classes of base64 bytes, looked up in b64Class: the loops that walk
// base64 runs test every byte of the data.
const (
	b64Std = 1 << iota // A-Z a-z 0-9 + /
	b64URL             // - _
	b64Pad             // =
)

var b64Class = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch b := byte(c); {
		case isAlnum(b) || b == '+' || b == '/':
			t[c] = b64Std
		case b == '-' || b == '_':
			t[c] = b64URL
		case b == '=':
			t[c] = b64Pad
		}
	}
	return t
}()

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

// lazyRegexp compiles expr at its first use: an expression with a counted
// repetition ({1,512}) compiles to a large program, and compiling them all
// at start-up cost every command, scanner version included, some 5 ms.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
