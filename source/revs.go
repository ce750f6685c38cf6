package source

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// resolveHead returns the commit id HEAD names, read from the git directory
// as git would: a detached id, or a branch's loose or packed ref. ok is false
// for anything else (an unborn branch, a symbolic ref to a symbolic ref,
// reftable), which git answers instead.
func resolveHead(gitDir string) (id string, ok bool) {
	head, err := os.ReadFile(filepath.Join(gitDir, "HEAD"))
	if err != nil {
		return "", false
	}
	v := strings.TrimSpace(string(head))
	if isCommitID(v) {
		return v, true
	}
	ref, isRef := strings.CutPrefix(v, "ref: ")
	if !isRef || !strings.HasPrefix(ref, "refs/heads/") {
		return "", false
	}
	return refValue(commonDir(gitDir), ref)
}

// historyRewritten reports whether git could see other parents than the
// commit objects record: replacement refs (loose or packed), grafts, or a
// shallow clone. The in-process walks leave such histories to git.
func historyRewritten(gitDir string) bool {
	common := commonDir(gitDir)
	for _, p := range []string{"info/grafts", "shallow"} {
		if _, err := os.Stat(filepath.Join(common, p)); err == nil {
			return true
		}
	}
	if packed, _ := os.ReadFile(filepath.Join(common, "packed-refs")); bytes.Contains(packed, []byte(" refs/replace/")) {
		return true
	}
	loose := false // git leaves refs/replace behind, empty, when it deletes the last one
	_ = filepath.WalkDir(filepath.Join(common, "refs", "replace"), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			loose = true
			return filepath.SkipAll
		}
		return err
	})
	return loose
}

// commonDir returns the directory a linked work tree shares with the main
// one (the git directory itself for the main one).
func commonDir(gitDir string) string {
	c, err := os.ReadFile(filepath.Join(gitDir, "commondir"))
	if err != nil {
		return gitDir
	}
	common := strings.TrimSpace(string(c))
	if !filepath.IsAbs(common) {
		common = filepath.Join(gitDir, common)
	}
	return common
}

// refValue returns the object id a ref (refs/...) holds, loose or packed;
// ok is false for a symbolic ref, a name with a ".." in it, or none.
func refValue(common, ref string) (string, bool) {
	if strings.Contains(ref, "..") || !strings.HasPrefix(ref, "refs/") {
		return "", false
	}
	if loose, err := os.ReadFile(filepath.Join(common, filepath.FromSlash(ref))); err == nil {
		v := strings.TrimSpace(string(loose))
		return v, isCommitID(v)
	}
	return packedRef(filepath.Join(common, "packed-refs"), ref)
}

// packedRef looks ref up in a packed-refs file.
func packedRef(path, ref string) (string, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", false
	}
	for line := range bytes.Lines(data) {
		id, name, ok := strings.Cut(strings.TrimRight(string(line), "\r\n"), " ")
		if ok && name == ref && isCommitID(id) {
			return id, true
		}
	}
	return "", false
}

// isCommitID reports whether s is a full lower-case SHA-1 object id.
func isCommitID(s string) bool {
	return len(s) == 40 && isHex(s) && strings.ToLower(s) == s
}

// resolveRev resolves rev as `git rev-parse --verify REV^{commit}` does,
// for the forms a range or a pull request's event names: a full id, HEAD,
// a ref by its full or short name (git's order: refs/NAME, refs/tags/NAME,
// refs/heads/NAME, refs/remotes/NAME, refs/remotes/NAME/HEAD), a tag peeled
// to its commit, each followed by ~N and ^N steps. ok is false for every
// other form (an abbreviated id, @{...}, :/text, a name in the git
// directory such as FETCH_HEAD), for what replacement refs, grafts or a
// shallow clone could change, and for what it cannot read: git answers.
func (o *objReader) resolveRev(gitDir, rev string) (string, bool) {
	if historyRewritten(gitDir) {
		return "", false
	}
	common := commonDir(gitDir)
	name, steps := rev, ""
	if i := strings.IndexAny(rev, "~^"); i >= 0 {
		name, steps = rev[:i], rev[i:]
	}
	id, ok := o.named(gitDir, common, name)
	if !ok {
		return "", false
	}
	if id, ok = o.peel(id); !ok {
		return "", false
	}
	return o.steps(id, steps)
}

// named resolves the name part of a revision to an object id.
func (o *objReader) named(gitDir, common, name string) (string, bool) {
	switch {
	case len(name) == 40 && isHex(name):
		return strings.ToLower(name), true
	case name == "HEAD":
		return resolveHead(gitDir)
	case name == "" || isHex(name) || strings.ContainsAny(name, "@:{}*?[\\ ") || strings.ToUpper(name) == name:
		return "", false // an abbreviated id, reflog or search syntax, FETCH_HEAD and the like
	case strings.HasPrefix(name, "refs/"):
		return refValue(common, name)
	}
	for _, dir := range []string{gitDir, common} { // git's first rule: the name as a file there
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(name))); err == nil {
			return "", false
		}
	}
	for _, f := range []string{"refs/%s", "refs/tags/%s", "refs/heads/%s", "refs/remotes/%s", "refs/remotes/%s/HEAD"} {
		ref := strings.Replace(f, "%s", name, 1)
		if id, ok := refValue(common, ref); ok {
			return id, true
		}
		if _, err := os.Lstat(filepath.Join(common, filepath.FromSlash(ref))); err == nil {
			return "", false // there, but not a plain id (symbolic): git decides
		}
	}
	return "", false
}

// peel follows annotated tags to the commit they name.
func (o *objReader) peel(id string) (string, bool) {
	for range 10 {
		typ, buf, err := o.read(id)
		if err != nil {
			return "", false
		}
		content := *buf
		if typ == "commit" {
			putBuf(buf)
			return id, true
		}
		target, ok := bytes.CutPrefix(content, []byte("object "))
		if typ != "tag" || !ok || len(target) < 40 {
			putBuf(buf)
			return "", false
		}
		id = string(target[:40])
		putBuf(buf)
	}
	return "", false
}

// steps walks ~N (N first parents) and ^N (the N-th parent, ^0 the commit
// itself) from commit id.
func (o *objReader) steps(id, steps string) (string, bool) {
	for steps != "" {
		op := steps[0]
		steps = steps[1:]
		end := 0
		for end < len(steps) && steps[end] >= '0' && steps[end] <= '9' {
			end++
		}
		n := 1
		if end > 0 {
			v, err := strconv.Atoi(steps[:end])
			if err != nil || v > 1_000_000 {
				return "", false
			}
			n = v
		}
		steps = steps[end:]
		var ok bool
		if id, ok = o.step(id, op, n); !ok {
			return "", false
		}
		if steps == "" { // the last step's commit must be there too
			if _, err := o.commit(id); err != nil {
				return "", false
			}
		}
	}
	return id, true
}

// step takes one ~N or ^N step.
func (o *objReader) step(id string, op byte, n int) (string, bool) {
	if op == '^' {
		if n == 0 {
			return id, true
		}
		c, err := o.commit(id)
		if err != nil || n > len(c.parents) {
			return "", false
		}
		return c.parents[n-1], true
	}
	for range n {
		c, err := o.commit(id)
		if err != nil || len(c.parents) == 0 {
			return "", false
		}
		id = c.parents[0]
	}
	return id, true
}
