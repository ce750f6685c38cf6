package cliflag

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
)

// New returns the flag set of the command name, whose operands the usage
// line shows. -h and --help print its usage on stdout (see Parse); a
// mistake is one line.
func New(name, operands string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // Parse reports mistakes in one line
	fs.Usage = func() {}
	usages.Store(fs, func() {
		fs.SetOutput(stdout)
		fmt.Fprintf(stdout, "Usage: scanner %s [flags] %s\n\nFlags:\n", name, operands)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	})
	return fs
}

// usages holds how each flag set prints its help.
var usages sync.Map // *flag.FlagSet -> func()

// Parse parses flags wherever they stand among the positional arguments
// ("scanner git . --report-format json" and "scanner git --report-format
// json ." alike) and returns the positional ones; those after "--" are
// never flags. For -h it prints the usage and returns flag.ErrHelp.
func Parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, parseError(fs, err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parseError prints the usage for -h (on stdout: help is the output asked
// for) and turns any other parse error into one line that says where help
// is.
func parseError(fs *flag.FlagSet, err error) error {
	if errors.Is(err, flag.ErrHelp) {
		if u, ok := usages.Load(fs); ok {
			u.(func())()
		}
		return err
	}
	return fmt.Errorf("%s: %s; run 'scanner %s -h'", fs.Name(), err, fs.Name())
}

// IsHelp reports whether arg asks for help.
func IsHelp(arg string) bool {
	return arg == "-h" || arg == "--help" || arg == "-help" || arg == "help"
}

// ParseSize reads "1048576", "512KB", "50MB", "1GB" (powers of 1024; KiB,
// MiB and GiB too). Empty is 0.
func ParseSize(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	u := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, suf := range []struct {
		s string
		m int64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(u, suf.s) {
			u, mult = strings.TrimSpace(strings.TrimSuffix(u, suf.s)), suf.m
			break
		}
	}
	n, err := strconv.ParseInt(u, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return n * mult, nil
}

// Subcommand reads the subcommand of a command that takes one: args[0],
// one of names. For help it prints usage on stdout and returns
// flag.ErrHelp; a missing or unknown subcommand is a one-line mistake.
func Subcommand(command string, args []string, stdout io.Writer, usage string, names ...string) (string, error) {
	if len(args) > 0 && IsHelp(args[0]) {
		fmt.Fprint(stdout, usage)
		return "", flag.ErrHelp
	}
	for _, n := range names {
		if len(args) > 0 && args[0] == n {
			return n, nil
		}
	}
	return "", fmt.Errorf("%s needs a subcommand: %s; run 'scanner %s -h'", command, strings.Join(names, " or "), command)
}

// Input opens the file the operands name, or returns stdin when they name
// none or "-". Closing it closes the file, never stdin.
func Input(pos []string, stdin io.Reader) (io.ReadCloser, error) {
	if len(pos) == 0 || pos[0] == "-" {
		return io.NopCloser(stdin), nil
	}
	return os.Open(pos[0])
}
