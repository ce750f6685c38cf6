package ghaction

import (
	"fmt"
	"strings"
)

// SplitArgs splits the action's `args` input into arguments as a POSIX
// shell would word-split it, without expanding anything: blanks separate
// words, single quotes keep everything literally, double quotes keep blanks
// and let a backslash escape '"' and '\', and a backslash outside quotes
// escapes the next character.
func SplitArgs(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inWord := false
	var quote rune
	escaped := false
	for _, r := range s {
		switch {
		case escaped:
			if quote == '"' && r != '"' && r != '\\' {
				cur.WriteRune('\\')
			}
			cur.WriteRune(r)
			escaped = false
		case r == '\\' && quote != '\'':
			escaped, inWord = true, true
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 || escaped {
		return nil, fmt.Errorf("args: unterminated quote or trailing backslash")
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out, nil
}

// ParseBool reads a boolean input: true or false (any case), empty meaning
// def.
func ParseBool(name, v string, def bool) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "":
		return def, nil
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("input %s: %q is not true or false", name, v)
}
