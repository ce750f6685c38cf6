package source

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
)

// discover finds the repository that holds path as git's discovery would,
// without a git process (5-15 ms of a pre-commit hook's run), for the
// common layout only: a work tree with a .git directory, or a .git file
// naming a linked work tree's directory. ok is false whenever git's answer
// could differ or git must judge, and OpenRepo then asks git:
//   - the environment moves or bounds the repository (GIT_DIR, GIT_WORK_TREE,
//     GIT_CEILING_DIRECTORIES, configuration given through GIT_CONFIG_*...);
//   - no .git is found before a directory that could be a bare repository,
//     or before another file system (git stops there);
//   - a directory or .git is not owned by the user (git's safe.directory);
//   - the configuration names a work tree, a bareness, an include, an
//     extension or a repository format past version 1.
func discover(path string) (gitDir, objects, top string, ok bool) {
	for _, v := range discoveryEnv {
		if _, set := os.LookupEnv(v); set {
			return "", "", "", false
		}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", "", "", false
	}
	st, err := os.Stat(abs)
	if err != nil || !st.IsDir() {
		return "", "", "", false
	}
	dev := devOf(st)
	for dir := abs; ; dir = filepath.Dir(dir) {
		d, err := os.Stat(dir)
		if err != nil || devOf(d) != dev || !ownedByUser(d) {
			return "", "", "", false
		}
		if gitDir, common, found := dotGit(dir); found {
			if gitDir == "" || !plainConfig(common) {
				return "", "", "", false
			}
			return gitDir, filepath.Join(common, "objects"), dir, true
		}
		if _, err := os.Lstat(filepath.Join(dir, "HEAD")); err == nil {
			return "", "", "", false // maybe a bare repository: git decides
		}
		if filepath.Dir(dir) == dir {
			return "", "", "", false
		}
	}
}

// discoveryEnv are the variables that change where or whether git finds a
// repository, or what its configuration says.
var discoveryEnv = []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY",
	"GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM", "GIT_CONFIG_COUNT",
	"GIT_CONFIG_PARAMETERS", "GIT_DEFAULT_HASH", "GIT_NAMESPACE"}

// dotGit looks at dir/.git: found is false when there is none. gitDir is
// the repository directory it is or names, and common the directory shared
// by its work trees (the same for a main work tree); both are "" when it is
// not one git would take without question.
func dotGit(dir string) (gitDir, common string, found bool) {
	dg := filepath.Join(dir, ".git")
	st, err := os.Lstat(dg)
	if err != nil {
		return "", "", false
	}
	if !ownedByUser(st) {
		return "", "", true
	}
	switch {
	case st.IsDir():
		gitDir = dg
	case st.Mode().IsRegular():
		gitDir = gitFileTarget(dir, dg)
	}
	if gitDir == "" || !looksLikeGitDir(gitDir) {
		return "", "", true
	}
	if common = commonDir(gitDir); common != gitDir && !looksLikeGitDir(common) {
		return "", "", true
	}
	return gitDir, common, true
}

// gitFileTarget reads a .git file ("gitdir: PATH"), "" when it is not one.
func gitFileTarget(dir, file string) string {
	b, err := os.ReadFile(file)
	if err != nil {
		return ""
	}
	target, ok := strings.CutPrefix(strings.TrimRight(string(b), "\r\n"), "gitdir: ")
	if !ok || target == "" {
		return ""
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(dir, target)
	}
	return filepath.Clean(target)
}

// looksLikeGitDir reports whether dir has what git checks a repository
// directory for, owned by the user: HEAD, and an objects directory or a
// commondir file.
func looksLikeGitDir(dir string) bool {
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() || !ownedByUser(st) {
		return false
	}
	if h, err := os.Lstat(filepath.Join(dir, "HEAD")); err != nil || !h.Mode().IsRegular() {
		return false
	}
	if _, err := os.Stat(filepath.Join(dir, "commondir")); err == nil {
		return true
	}
	o, err := os.Stat(filepath.Join(dir, "objects"))
	return err == nil && o.IsDir()
}

// plainConfig reports whether the repository's configuration leaves the
// discovery's answer alone: nothing that names a work tree, bareness, an
// include or an extension, and repository format 0 or 1 at most.
func plainConfig(common string) bool {
	b, err := os.ReadFile(filepath.Join(common, "config"))
	if err != nil {
		return false
	}
	b = bytes.ToLower(b)
	for _, w := range []string{"worktree", "bare", "include", "extensions", "objectformat", "refstorage"} {
		if bytes.Contains(b, []byte(w)) && !(w == "bare" && onlyBareFalse(b)) {
			return false
		}
	}
	for line := range bytes.Lines(b) {
		k, v, ok := bytes.Cut(line, []byte("="))
		if ok && string(bytes.TrimSpace(k)) == "repositoryformatversion" {
			if v := string(bytes.TrimSpace(v)); v != "0" && v != "1" {
				return false
			}
		}
	}
	return true
}

// onlyBareFalse reports whether every mention of "bare" in a lower-cased
// configuration is the "bare = false" git init writes.
func onlyBareFalse(b []byte) bool {
	for line := range bytes.Lines(b) {
		if !bytes.Contains(line, []byte("bare")) {
			continue
		}
		k, v, ok := bytes.Cut(line, []byte("="))
		if !ok || string(bytes.TrimSpace(k)) != "bare" || string(bytes.TrimSpace(v)) != "false" {
			return false
		}
	}
	return true
}
