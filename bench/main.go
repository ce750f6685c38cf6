package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/scanner-dev/scanner/rules"
)

func main() {
	if out := os.Getenv(measureEnv); out != "" {
		measureChild(out, os.Args[1:])
		return
	}
	dir := flag.String("dir", filepath.Join(os.TempDir(), "scanner-bench"), "cache directory for the repository and the scanner binary")
	commits := flag.Int("commits", 5000, "commits in the generated history")
	runs := flag.Int("runs", 3, "runs of each command; the best wall time is reported")
	rebuild := flag.Bool("rebuild", false, "rebuild the repository even if the cache has one")
	src := flag.String("src", filepath.Join(goEnv("GOROOT"), "src"), "source tree the history is made of (a smaller one for a smoke run)")
	repo := flag.String("repo", "", "an existing repository to measure instead of the generated one (a real history)")
	flag.Parse()
	run := func() error { return bench(*dir, *src, *commits, *runs, *rebuild) }
	if *repo != "" {
		run = func() error { return benchReal(*dir, *repo, *runs) }
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// bench prepares the repository and the scanner, times every command and
// prints the table. It fails when a scan does not report exactly the
// credentials planted.
func bench(dir, src string, commits, runs int, rebuild bool) error {
	repo, m, bin, err := prepare(dir, src, commits, rebuild)
	if err != nil {
		return err
	}
	blobs, size, err := blobStats(repo)
	if err != nil {
		return err
	}
	fmt.Printf("repository: %s: %d commits, %d blobs, %.0f MB of blob content (%.0f MB packed), %d credentials planted (%d still in HEAD)\n",
		repo, m.Commits, blobs, float64(size)/1e6, float64(packSize(repo))/1e6, m.Planted, m.InHead)
	fmt.Printf("machine: %s/%s, %d CPUs, %s; best wall time of %d runs, largest peak RSS\n\n",
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), runs)
	t, err := timeAll(repo, bin, runs)
	if err != nil {
		return err
	}
	stagedB, stagedWant, err := benchStaged(filepath.Join(dir, "staged"), repo, bin, runs)
	if err != nil {
		return err
	}
	fmt.Println("| scan | scanner wall | baseline wall, peak RSS | ratio | scanner peak RSS | with git's | findings / planted |")
	fmt.Println("|---|---|---|---|---|---|---|")
	exact := row("git (full history)", t.git, t.catFile, "cat-file --batch-all-objects", m.Planted)
	exact = row("dir (checkout)", t.dir, t.cat, "cat every file", m.InHead) && exact
	exact = row("git --staged (20 files)", stagedB, best{}, "", stagedWant) && exact
	fmt.Printf("\nthe same cat-file through a pipe (`| cat`), the floor of any reader of its output: %s (%.2fx cat-file to /dev/null)\n",
		ms(t.pipe.wall), float64(t.pipe.wall)/float64(t.catFile.wall))
	if !exact {
		return fmt.Errorf("a scan did not report exactly the planted credentials")
	}
	return nil
}

// prepare builds the repository unless the cache has it, and the scanner.
func prepare(dir, src string, commits int, rebuild bool) (repo string, m meta, bin string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", m, "", err
	}
	repo = filepath.Join(dir, "repo")
	m, ok := cached(dir, src, commits)
	if !ok || rebuild {
		fmt.Fprintf(os.Stderr, "building %s (%d commits) with git fast-import...\n", repo, commits)
		start := time.Now()
		if m, err = buildRepo(repo, src, commits, uint64(time.Now().UnixNano())); err != nil {
			return "", m, "", err
		}
		fmt.Fprintf(os.Stderr, "built in %s\n", time.Since(start).Round(time.Second))
	}
	bin = filepath.Join(dir, "scanner")
	if err := goBuild(bin); err != nil {
		return "", m, "", err
	}
	// Leftovers of an interrupted run would change every number.
	return repo, m, bin, git(repo, "reset", "-q", "--hard", "main")
}

// timings are the best runs of each command.
type timings struct{ catFile, pipe, git, cat, dir best }

// timeAll runs the baselines and the scans in turn, runs times, after one
// cat-file that warms the page cache.
func timeAll(repo, bin string, runs int) (timings, error) {
	var t timings
	catFile := []string{"git", "-C", repo, "cat-file", "--batch-all-objects", "--batch", "--unordered"}
	cmds := []struct {
		b    *best
		keep bool // the scanner's report is kept to count its findings
		argv []string
	}{
		{&t.catFile, false, catFile},
		{&t.pipe, false, []string{"sh", "-c", "git cat-file --batch-all-objects --batch --unordered | cat"}},
		{&t.git, true, []string{bin, "git", "--report-format", "json", repo}},
		{&t.cat, false, []string{"sh", "-c", "find . -path ./.git -prune -o -type f -print0 | xargs -0 cat"}},
		{&t.dir, true, []string{bin, "dir", "--report-format", "json", repo}},
	}
	if _, err := run(repo, false, catFile...); err != nil {
		return t, err
	}
	for i := 0; i < runs; i++ {
		for _, c := range cmds {
			s, err := run(repo, c.keep, c.argv...)
			if err != nil {
				return t, err
			}
			c.b.add(s)
		}
	}
	return t, nil
}

// row prints one line of the table and reports whether the scan found as
// many credentials as were planted.
func row(name string, b, base best, baseName string, want int) bool {
	baseCol, ratio := "-", "-"
	if base.wall > 0 {
		baseCol = fmt.Sprintf("%s, %s (%s)", ms(base.wall), mib(base.rssKiB), baseName)
		ratio = fmt.Sprintf("%.2fx", float64(b.wall)/float64(base.wall))
	}
	got := findings(b.last.stdout)
	fmt.Printf("| %s | %s | %s | %s | %s | %s | %s / %d |\n", name, ms(b.wall), baseCol, ratio, mib(b.ownKiB), mib(b.rssKiB), got, want)
	return got == fmt.Sprint(want)
}

// findings counts the findings of a JSON report.
func findings(report []byte) string {
	var r struct {
		Findings []json.RawMessage `json:"findings"`
	}
	if err := json.Unmarshal(report, &r); err != nil {
		return "?"
	}
	return fmt.Sprint(len(r.Findings))
}

// benchStaged stages a change to 20 Go files, one of them given a fresh
// Crisp pair, times `scanner git --staged`, and puts the work tree back.
// It works in a clone (hard links to the pack) so that what it stages
// never lands in the benchmark repository.
func benchStaged(repo, origin, bin string, runs int) (best, int, error) {
	var b best
	if _, err := os.Stat(repo); err != nil {
		if err := git("", "clone", "-q", "--local", origin, repo); err != nil {
			return b, 0, err
		}
	}
	if err := git(repo, "reset", "-q", "--hard", "HEAD"); err != nil {
		return b, 0, err
	}
	defer git(repo, "reset", "-q", "--hard", "HEAD")
	if err := stageEdits(repo); err != nil {
		return b, 0, err
	}
	for i := 0; i < runs; i++ {
		s, err := run(repo, true, bin, "git", "--staged", "--report-format", "json", repo)
		if err != nil {
			return b, 0, err
		}
		b.add(s)
	}
	return b, 1, nil
}

// blobStats counts the blobs of repo's object database and their bytes.
func blobStats(repo string) (n, size int64, err error) {
	out, err := exec.Command("git", "-C", repo, "cat-file", "--batch-all-objects", "--unordered",
		"--batch-check=%(objecttype) %(objectsize)").Output()
	for _, line := range strings.Split(string(out), "\n") {
		if t, sz, ok := strings.Cut(line, " "); ok && t == "blob" {
			v, _ := strconv.ParseInt(sz, 10, 64)
			n, size = n+1, size+v
		}
	}
	return n, size, err
}

// packSize is the size of repo's pack files.
func packSize(repo string) int64 {
	var total int64
	packs, _ := filepath.Glob(filepath.Join(repo, ".git", "objects", "pack", "*.pack"))
	for _, p := range packs {
		if fi, err := os.Stat(p); err == nil {
			total += fi.Size()
		}
	}
	return total
}

// stageEdits appends a line to 20 Go files, a fresh Crisp pair (in
// comments) to one of them, and stages them.
func stageEdits(repo string) error {
	fx := rules.NewFixture(rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 2)))
	plant, err := fx.Render("staged", "\n// crisp chat widget\n"+plantText)
	if err != nil {
		return err
	}
	plant = strings.ReplaceAll(plant, "\nCRISP_", "\n// CRISP_")
	var paths []string
	err = filepath.WalkDir(repo, func(p string, e os.DirEntry, err error) error {
		if err == nil && e.IsDir() && e.Name() == ".git" {
			return filepath.SkipDir
		}
		if err == nil && strings.HasSuffix(p, ".go") && e.Type().IsRegular() {
			if paths = append(paths, p); len(paths) == 20 {
				return filepath.SkipAll
			}
		}
		return err
	})
	if err != nil {
		return err
	}
	for i, p := range paths {
		extra := fmt.Sprintf("\n// staged edit %d\n", i)
		if i == len(paths)/2 {
			extra += plant
		}
		f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		_, err = f.WriteString(extra)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return git(repo, append([]string{"add", "--"}, paths...)...)
}

// cached reports the repository the cache holds, if it was built by this
// generator from src with as many commits.
func cached(dir, src string, commits int) (meta, bool) {
	var m meta
	b, err := os.ReadFile(filepath.Join(dir, "meta.json"))
	if err != nil || json.Unmarshal(b, &m) != nil {
		return m, false
	}
	_, err = os.Stat(filepath.Join(dir, "repo", ".git"))
	return m, err == nil && m.Version == genVersion && m.Src == src && m.Commits == commits
}

// goBuild builds the scanner of this module into bin.
func goBuild(bin string) error {
	cmd := exec.Command("go", "build", "-o", bin, "github.com/scanner-dev/scanner/cmd/scanner")
	cmd.Stderr = os.Stderr
	return cmd.Run()
}
