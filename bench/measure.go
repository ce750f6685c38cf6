package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// measureEnv switches this program into a small wrapper that runs its
// arguments and writes "wall-ns maxrss-kib exit-code" to the file the
// variable names. Peak RSS is taken from a fresh, small process because a
// child's rusage Maxrss starts from its parent's high-water mark (the child
// is forked from it), which would count the bench's own memory.
const measureEnv = "SCANNER_BENCH_MEASURE"

// measureChild is the wrapper's whole work.
func measureChild(out string, argv []string) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	own := make(chan int64)
	go func() { own <- watchHWM(cmd.Process.Pid) }()
	err := cmd.Wait()
	wall := time.Since(start)
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss
	}
	if err := os.WriteFile(out, fmt.Appendf(nil, "%d %d %d %d", wall.Nanoseconds(), rss, code, <-own), 0o644); err != nil {
		os.Exit(2)
	}
}

// watchHWM polls the process's own peak RSS (VmHWM in /proc, Linux only)
// until it exits, and returns the last value read: the process alone,
// without git. 0 where /proc is missing.
func watchHWM(pid int) int64 {
	var last int64
	path := fmt.Sprintf("/proc/%d/status", pid)
	for {
		b, err := os.ReadFile(path)
		if err != nil {
			return last
		}
		_, after, ok := strings.Cut(string(b), "VmHWM:")
		if !ok { // a zombie: it has exited
			return last
		}
		if f := strings.Fields(after); len(f) > 0 {
			last, _ = strconv.ParseInt(f[0], 10, 64)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// sample is one timed run of a command.
type sample struct {
	wall   time.Duration
	rssKiB int64 // peak RSS of the command and the children it waited for (git)
	ownKiB int64 // peak RSS of the command alone (sampled; Linux)
	stdout []byte
}

// run runs argv in dir through the wrapper, with stdout to /dev/null unless
// keep. An exit code of 1 is the scanner reporting findings, not a failure.
func run(dir string, keep bool, argv ...string) (sample, error) {
	self, err := os.Executable()
	if err != nil {
		return sample{}, err
	}
	res, err := os.CreateTemp("", "bench-*.txt")
	if err != nil {
		return sample{}, err
	}
	res.Close()
	defer os.Remove(res.Name())
	cmd := exec.Command(self, argv...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), measureEnv+"="+res.Name())
	var out, errb bytes.Buffer
	if keep {
		cmd.Stdout = &out
	} else {
		devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			return sample{}, err
		}
		defer devnull.Close()
		cmd.Stdout = devnull
	}
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		return sample{}, fmt.Errorf("%v: %w: %s", argv, err, errb.String())
	}
	b, err := os.ReadFile(res.Name())
	f := strings.Fields(string(b))
	if err != nil || len(f) != 4 {
		return sample{}, fmt.Errorf("%v: no measurement: %s", argv, errb.String())
	}
	wall, _ := strconv.ParseInt(f[0], 10, 64)
	rss, _ := strconv.ParseInt(f[1], 10, 64)
	own, _ := strconv.ParseInt(f[3], 10, 64)
	if code := f[2]; code != "0" && (code != "1" || argv[0] == "sh") {
		return sample{}, fmt.Errorf("%v: exit %s: %s", argv, code, errb.String())
	}
	return sample{wall: time.Duration(wall), rssKiB: rss, ownKiB: own, stdout: out.Bytes()}, nil
}

// best keeps the fastest wall time and the largest peak RSS of several runs.
type best struct {
	wall           time.Duration
	rssKiB, ownKiB int64
	last           sample
}

func (b *best) add(s sample) {
	if b.wall == 0 || s.wall < b.wall {
		b.wall = s.wall
	}
	b.rssKiB = max(b.rssKiB, s.rssKiB)
	b.ownKiB = max(b.ownKiB, s.ownKiB)
	b.last = s
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond)) }

func mib(kib int64) string { return fmt.Sprintf("%.0f MiB", float64(kib)/1024) }
