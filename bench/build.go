package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/scanner-dev/scanner/rules"
)

// genVersion changes whenever the generator does, so a cached repository
// built by an older one is rebuilt.
const genVersion = 2

// meta is what the cache keeps next to the repository it built.
type meta struct {
	Version   int    `json:"version"`
	Src       string `json:"src"`
	Commits   int    `json:"commits"`
	BlobBytes int64  `json:"blob_bytes"`
	// Planted is how many credentials the history holds; InHead how many
	// of them the last commit still has (the others were deleted later).
	Planted int `json:"planted"`
	InHead  int `json:"in_head"`
}

// plantText is a Crisp pair next to the word crisp, as a .env file has it.
const plantText = "# crisp chat widget\nCRISP_IDENTIFIER={{.ID}}\nCRISP_KEY={{.Key}}\n"

// generator writes a git fast-import stream: a source tree added over the
// first commits, then small edits to a few files per commit, with
// credentials planted (and some deleted again) along the way.
type generator struct {
	src     string
	files   []string          // paths under src, slash-separated
	edited  map[string][]byte // current content of the files edited so far
	rnd     *rand.Rand
	w       *bufio.Writer
	mark    int
	when    time.Time
	m       meta
	planted []string // paths of planted files still in the tree
}

// buildRepo creates the repository at dir from the files under src with
// git fast-import.
func buildRepo(dir, src string, commits int, seed uint64) (meta, error) {
	g := &generator{src: src, edited: map[string][]byte{}, rnd: rand.New(rand.NewPCG(seed, 1)),
		when: time.Date(2019, 1, 1, 9, 0, 0, 0, time.UTC), m: meta{Version: genVersion, Src: src}}
	if err := g.list(); err != nil {
		return meta{}, err
	}
	for _, d := range []string{dir, filepath.Join(filepath.Dir(dir), "staged")} {
		if err := os.RemoveAll(d); err != nil {
			return meta{}, err
		}
	}
	if err := git("", "init", "-q", "-b", "main", dir); err != nil {
		return meta{}, err
	}
	if err := g.fastImport(dir, commits); err != nil {
		return meta{}, err
	}
	// A realistic object database: one pack with deltas, then a checkout.
	if err := git(dir, "repack", "-adq"); err != nil {
		return meta{}, err
	}
	if err := git(dir, "reset", "-q", "--hard", "main"); err != nil {
		return meta{}, err
	}
	g.m.InHead = len(g.planted)
	b, _ := json.Marshal(g.m)
	return g.m, os.WriteFile(filepath.Join(filepath.Dir(dir), "meta.json"), b, 0o644)
}

// list collects the regular files under the source tree, sorted.
func (g *generator) list() error {
	err := filepath.WalkDir(g.src, func(p string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			rel, _ := filepath.Rel(g.src, p)
			g.files = append(g.files, filepath.ToSlash(rel))
		}
		return err
	})
	sort.Strings(g.files)
	return err
}

// fastImport streams the commits into git fast-import in dir.
func (g *generator) fastImport(dir string, commits int) error {
	cmd := exec.Command("git", "-C", dir, "fast-import", "--quiet")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	g.w = bufio.NewWriterSize(in, 1<<20)
	gerr := g.run(commits)
	if err := g.w.Flush(); gerr == nil {
		gerr = err
	}
	in.Close()
	if err := cmd.Wait(); gerr == nil {
		gerr = err
	}
	if gerr != nil {
		return fmt.Errorf("fast-import: %w", gerr)
	}
	return nil
}

// run writes the commits: the first fifth add the tree in batches, the rest
// edit 1-6 files each. Six credentials are planted; two are deleted later.
func (g *generator) run(commits int) error {
	adds := max(commits/5, 1)
	per := (len(g.files) + adds - 1) / adds
	plantAt := map[int]bool{}
	for i := 1; i <= 6; i++ {
		plantAt[adds+(commits-adds)*i/7] = true
	}
	for c := 0; c < commits; c++ {
		var ops []string
		var err error
		switch {
		case c < adds:
			lo := min(c*per, len(g.files))
			ops, err = g.addFiles(g.files[lo:min(lo+per, len(g.files))])
		case plantAt[c]:
			ops, err = g.plant()
		case len(g.planted) > 4 && c%97 == 0:
			ops = []string{"D " + g.planted[0]}
			g.planted = g.planted[1:]
		default:
			ops, err = g.edit(1 + g.rnd.IntN(6))
		}
		if err != nil {
			return err
		}
		if err := g.commit(c, ops); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) addFiles(paths []string) ([]string, error) {
	var ops []string
	for _, p := range paths {
		data, err := os.ReadFile(filepath.Join(g.src, filepath.FromSlash(p)))
		if err != nil {
			return nil, err
		}
		ops = append(ops, g.blob(p, data))
	}
	return ops, nil
}

// edit changes n random text files: a comment line inserted and a line
// rewritten, as a developer's small change would.
func (g *generator) edit(n int) ([]string, error) {
	var ops []string
	for len(ops) < n {
		p := g.files[g.rnd.IntN(len(g.files))]
		if !strings.HasSuffix(p, ".go") {
			continue
		}
		data, ok := g.edited[p]
		if !ok {
			var err error
			if data, err = os.ReadFile(filepath.Join(g.src, filepath.FromSlash(p))); err != nil {
				return nil, err
			}
		}
		lines := bytes.SplitAfter(data, []byte("\n"))
		i := g.rnd.IntN(len(lines))
		note := fmt.Sprintf("// edit %d: revisit %x\n", g.mark, g.rnd.Uint32())
		lines = append(lines[:i], append([][]byte{[]byte(note)}, lines[i:]...)...)
		if j := g.rnd.IntN(len(lines)); bytes.HasPrefix(bytes.TrimSpace(lines[j]), []byte("//")) {
			lines[j] = append(bytes.TrimRight(lines[j], "\n"), []byte(" (reviewed)\n")...)
		}
		data = bytes.Join(lines, nil)
		g.edited[p] = data
		ops = append(ops, g.blob(p, data))
	}
	return ops, nil
}

// plant adds a new .env file holding a fresh random Crisp pair.
func (g *generator) plant() ([]string, error) {
	fx := rules.NewFixture(rand.New(rand.NewPCG(g.rnd.Uint64(), g.rnd.Uint64())))
	text, err := fx.Render("plant", plantText)
	if err != nil {
		return nil, err
	}
	p := fmt.Sprintf("internal/benchcfg/service%d/.env", g.m.Planted)
	g.m.Planted++
	g.planted = append(g.planted, p)
	return []string{g.blob(p, []byte(text))}, nil
}

// blob writes an inline file modification and returns nothing more to do:
// fast-import takes inline data within the commit, so blob returns the
// command text for commit to write.
func (g *generator) blob(path string, data []byte) string {
	g.m.BlobBytes += int64(len(data))
	return fmt.Sprintf("M 100644 inline %s\ndata %d\n%s", path, len(data), data)
}

func (g *generator) commit(n int, ops []string) error {
	g.mark++
	g.when = g.when.Add(time.Duration(30+g.rnd.IntN(600)) * time.Minute)
	who := []string{"Ada <ada@example.com>", "Brian <brian@example.com>", "Chen <chen@example.com>"}[n%3]
	msg := fmt.Sprintf("change %d\n", n)
	fmt.Fprintf(g.w, "commit refs/heads/main\nmark :%d\nauthor %s %d +0000\ncommitter %s %d +0000\ndata %d\n%s",
		g.mark, who, g.when.Unix(), who, g.when.Unix(), len(msg), msg)
	for _, op := range ops {
		g.w.WriteString(op)
		g.w.WriteByte('\n')
	}
	g.w.WriteByte('\n')
	g.m.Commits++
	return nil
}

// git runs git in dir ("" for the current directory).
func git(dir string, args ...string) error {
	if dir != "" {
		args = append([]string{"-C", dir}, args...)
	}
	cmd := exec.Command("git", args...)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("git %s: %w", args[len(args)-1], err)
	}
	return nil
}

func goEnv(name string) string {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
