package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/rs/zerolog"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/report"
	"github.com/scanner-dev/scanner/source"
)

// The files a scanned tree may hold to configure its own scan.
const (
	repoConfigName   = ".scanner.toml"
	repoBaselineName = ".scanner-baseline.json"
)

// Suppression reasons added here (the detector adds inline and allowlist).
const suppressedBaseline = "baseline"

// triageOptions are the flags that decide what is hidden.
type triageOptions struct {
	baselinePath    string
	inlineAllowLive bool
	noBaseline      bool             // load none (baseline create)
	baseline        *report.Baseline // loaded by loadBaseline
}

func (t *triageOptions) bind(fs *flag.FlagSet) {
	fs.StringVar(&t.baselinePath, "baseline", "", "suppress the findings this baseline (or earlier JSON report) lists (default: "+repoBaselineName+" at the root, if any)")
	fs.BoolVar(&t.inlineAllowLive, "inline-allow-live", false, "let a scanner:allow comment hide a credential that validates live (by default a live one is still reported)")
}

// treeFiles reads the configuration and baseline that can hide findings.
// Files inside the scanned tree belong to what is being scanned: in a range
// run (a pull request) they are read from the range's base commit, never
// from the head the pull request controls.
type treeFiles struct {
	root string       // top of the scanned tree ("" for stdin)
	repo *source.Repo // the scanned repository, for git targets
	rev  string       // read files inside root from this commit ("" from disk)
}

// read returns the content of a file named by the user. own says it lies
// inside the scanned tree. A file of the tree that the base commit does not
// hold reads as nil: a pull request cannot bring its own.
func (t treeFiles) read(ctx context.Context, path string) (data []byte, own bool, err error) {
	if t.root == "" || !inside(path, t.root) {
		data, err = os.ReadFile(path)
		return data, false, err
	}
	if t.rev == "" {
		data, err = os.ReadFile(path)
		return data, true, err
	}
	abs, _ := filepath.Abs(path)
	root, _ := filepath.Abs(t.root)
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		return nil, true, err
	}
	data, err = t.repo.FileAt(ctx, t.rev, filepath.ToSlash(rel))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, true, nil
	}
	return data, true, err
}

// file reads the user's path, or the tree's own file called name at its
// root when path is empty. It returns nil data when there is none.
func (t treeFiles) file(ctx context.Context, path, name, what string, log zerolog.Logger) (string, []byte, bool, error) {
	explicit := path != ""
	if path == "" {
		if t.root == "" {
			return "", nil, false, nil
		}
		path = filepath.Join(t.root, name)
		if t.rev == "" {
			if _, err := os.Stat(path); err != nil {
				return "", nil, false, nil
			}
		}
	} else if _, err := os.Stat(path); err != nil && (t.rev == "" || !inside(path, t.root)) {
		return "", nil, false, fmt.Errorf("%s: %w", what, err)
	}
	data, own, err := t.read(ctx, path)
	if err != nil {
		return "", nil, false, fmt.Errorf("%s: %w", what, err)
	}
	if data == nil && own && t.rev != "" && (explicit || exists(path)) {
		log.Warn().Str("file", path).Str("base", t.rev).
			Msgf("the %s is not in the range's base commit; it is not used (a pull request cannot bring its own)", what)
	}
	if data != nil && t.rev != "" {
		log.Info().Str("file", path).Str("base", t.rev).Msgf("%s read from the range's base commit", what)
	}
	return path, data, own, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// config returns the rules configuration to load, if any.
func (t treeFiles) config(ctx context.Context, path string, log zerolog.Logger) (string, []byte, bool, error) {
	return t.file(ctx, path, repoConfigName, "config", log)
}

func (t *triageOptions) loadBaseline(ctx context.Context, files treeFiles, log zerolog.Logger) error {
	if t.noBaseline {
		return nil
	}
	name, data, _, err := files.file(ctx, t.baselinePath, repoBaselineName, "baseline", log)
	if err != nil || data == nil {
		return err
	}
	b, err := report.ReadBaseline(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	t.baseline = b
	return nil
}

// applyBaseline moves the findings the baseline lists to the suppressed ones.
func (t *triageOptions) applyBaseline(res *scanResult) {
	if t.baseline == nil {
		return
	}
	kept := res.findings[:0]
	for _, f := range res.findings {
		if t.baseline.Has(f) {
			f.Suppressed = suppressedBaseline
			res.suppressed = append(res.suppressed, f)
		} else {
			kept = append(kept, f)
		}
	}
	res.findings = kept
}

// inlineLiveCandidates returns the findings an inline comment hides that
// validation must still check: a live credential is reported anyway.
func (t *triageOptions) inlineLiveCandidates(res *scanResult) []finding.Finding {
	if t.inlineAllowLive {
		return nil
	}
	var out []finding.Finding
	for _, f := range res.suppressed {
		if f.Suppressed == "inline" {
			out = append(out, f)
		}
	}
	return out
}

// reinstateLive puts back the inline-allowed findings that validated live.
func reinstateLive(res *scanResult, checked []finding.Finding) {
	live := map[string]finding.Finding{}
	for _, f := range checked {
		if f.Validation != nil && f.Validation.Status == finding.Live {
			live[f.Fingerprint+"\x00"+f.Path] = f
		}
	}
	if len(live) == 0 {
		return
	}
	kept := res.suppressed[:0]
	for _, f := range res.suppressed {
		if g, ok := live[f.Fingerprint+"\x00"+f.Path]; ok && f.Suppressed == "inline" {
			g.Suppressed = ""
			if g.Details == nil {
				g.Details = map[string]string{}
			}
			g.Details["inline_allow"] = "ignored: the credential is live (--inline-allow-live to honour it)"
			res.findings = append(res.findings, g)
			continue
		}
		kept = append(kept, f)
	}
	res.suppressed = kept
}

// rangeBase returns the base revision of "BASE..HEAD" or "BASE...HEAD".
func rangeBase(spec string) string {
	base, _, _ := strings.Cut(spec, "..")
	return base
}
