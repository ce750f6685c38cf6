package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// benchReal times the scanner on an existing repository (a real history:
// nothing is planted, so findings are counted, not checked) against git
// cat-file, and against gitleaks when it is on PATH.
func benchReal(dir, repo string, runs int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	bin := filepath.Join(dir, "scanner")
	if err := goBuild(bin); err != nil {
		return err
	}
	blobs, size, err := blobStats(repo)
	if err != nil {
		return err
	}
	commits, _ := exec.Command("git", "-C", repo, "rev-list", "--count", "--all").Output()
	fmt.Printf("repository: %s: %s commits, %d blobs, %.0f MB of blob content (%.0f MB packed)\n",
		repo, trim(commits), blobs, float64(size)/1e6, float64(packSize(repo))/1e6)
	fmt.Printf("machine: %s/%s, %d CPUs, %s; best wall time of %d runs, largest peak RSS\n\n",
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), runs)
	catFile := []string{"git", "-C", repo, "cat-file", "--batch-all-objects", "--batch", "--unordered"}
	cmds := []struct {
		name string
		argv []string
	}{
		{"cat-file --batch-all-objects", catFile},
		{"git (full history)", []string{bin, "git", "--report-format", "json", repo}},
		{"git --range (last 100 commits of HEAD)", []string{bin, "git", "--report-format", "json", "--range", "HEAD~100..HEAD", repo}},
	}
	if gl, err := exec.LookPath("gitleaks"); err == nil {
		cmds = append(cmds, struct {
			name string
			argv []string
		}{"gitleaks git", []string{gl, "git", "--no-banner", "--report-format", "json", "--report-path", "/dev/stdout", repo}})
	} else {
		fmt.Println("gitleaks: not on PATH, not measured")
	}
	if _, err := run(repo, false, catFile...); err != nil { // warm the page cache
		return err
	}
	bests := make([]best, len(cmds))
	for i := 0; i < runs; i++ {
		for k, c := range cmds {
			s, err := run(repo, k > 0, c.argv...)
			if err != nil {
				return err
			}
			bests[k].add(s)
		}
	}
	fmt.Println("| scan | wall | ratio to cat-file | peak RSS (own) | with git's | findings |")
	fmt.Println("|---|---|---|---|---|---|")
	for k, c := range cmds {
		b := bests[k]
		got := "-"
		if k > 0 {
			got = findings(b.last.stdout)
		}
		fmt.Printf("| %s | %s | %.2fx | %s | %s | %s |\n", c.name, ms(b.wall),
			float64(b.wall)/float64(bests[0].wall), mib(b.ownKiB), mib(b.rssKiB), got)
	}
	return nil
}

func trim(b []byte) string {
	s := string(b)
	for len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == '\r') {
		s = s[:len(s)-1]
	}
	return s
}
