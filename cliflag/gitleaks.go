package cliflag

import (
	"flag"
	"fmt"
	"strings"
)

// LogOpts reads gitleaks' --log-opts: only revision ranges are understood
// ("A..B", "A...B", and "--all", "--branches", "--tags", which name the
// whole history); anything else git log takes is refused by name rather
// than ignored. It returns the range, or "" for the whole history.
func LogOpts(s string) (string, error) {
	rangeSpec := ""
	for _, f := range strings.Fields(s) {
		switch {
		case f == "--all" || f == "--branches" || f == "--tags":
			continue
		case strings.Contains(f, "..") && !strings.HasPrefix(f, "-"):
			if rangeSpec != "" {
				return "", fmt.Errorf("--log-opts: one range only")
			}
			rangeSpec = f
		default:
			return "", fmt.Errorf("--log-opts %q: only a revision range (A..B) or --all is supported; use --range A..B", f)
		}
	}
	return rangeSpec, nil
}

// GitleaksCommand reads gitleaks' older commands with their meaning:
// "detect" scans the history, with --no-git a directory and with --pipe
// standard input; "protect" scans what is staged (--staged is added when
// missing). It returns which of our commands to run ("git", "dir" or
// "stdin") and the arguments for it.
func GitleaksCommand(name string, args []string) (target string, rest []string) {
	target = "git"
	staged := false
	for _, a := range args {
		switch a {
		case "--no-git", "-no-git":
			target = "dir"
		case "--pipe", "-pipe":
			target = "stdin"
		case "--staged", "-staged":
			staged = true
			rest = append(rest, a)
		default:
			rest = append(rest, a)
		}
	}
	if name == "protect" && !staged && target == "git" {
		rest = append(rest, "--staged")
	}
	return target, rest
}

// FindMode finds, among args before any "--", a flag named as one of modes
// ("--pre-receive", "--verify-purged=REPORT") and returns its name and the
// other arguments; a value given with "=" comes first among them.
func FindMode(args []string, modes ...string) (string, []string, bool) {
	for i, a := range args {
		if a == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || !contains(modes, name) {
			continue
		}
		rest := append(append([]string(nil), args[:i]...), args[i+1:]...)
		if hasValue {
			rest = append([]string{value}, rest...)
		}
		return name, rest, true
	}
	return "", args, false
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// SizeLimit is the size limit in bytes that --max-file-size (see
// ParseSize) and gitleaks' --max-target-megabytes set: the smaller when
// both are, 0 for none.
func SizeLimit(maxFileSize string, maxTargetMB int) (int64, error) {
	size, err := ParseSize(maxFileSize)
	if err != nil {
		return 0, fmt.Errorf("--max-file-size: %w", err)
	}
	if maxTargetMB < 0 {
		return 0, fmt.Errorf("--max-target-megabytes cannot be negative")
	}
	if t := int64(maxTargetMB) << 20; maxTargetMB != 0 && (size == 0 || t < size) {
		size = t
	}
	return size, nil
}

// Source binds gitleaks' --source and its short -s, gitleaks' spelling of a
// command's path operand, into p; what says what the path is.
func Source(fs *flag.FlagSet, p *string, what string) {
	fs.StringVar(p, "source", "", what+" (gitleaks' spelling of the operand)")
	fs.StringVar(p, "s", "", "short for --source")
}

// Operand is the path a command works on: its one operand, else --source
// (see Source), else def.
func Operand(pos []string, source, def string) string {
	switch {
	case len(pos) == 1:
		return pos[0]
	case source != "":
		return source
	}
	return def
}
