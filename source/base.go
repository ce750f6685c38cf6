package source

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	gitobject "github.com/go-git/go-git/v5/plumbing/object"
)

// withBaseContent adds to each change list reports the blob its path held
// at the merge base of base and head, and drops the change when that is its
// own blob. A range that removes a secret and puts it back (a revert, a file
// checked out from the base) then adds nothing the base did not already
// have. The base's tree is read while the walk starts; changes wait for it.
func (r *Repo) withBaseContent(ctx context.Context, base, head string, list func(func(change) error) error, fn func(change) error) error {
	bctx, cancel := context.WithCancel(ctx)
	defer cancel()
	baseTree := make(chan map[string]string, 1)
	go func() {
		at, err := r.b.mergeBaseBlobs(bctx, base, head)
		if err != nil {
			r.opts.Log.Debug().Err(err).Msg("reading the range's base tree")
		}
		baseTree <- at
	}()
	var at map[string]string
	got := false
	return list(func(c change) error {
		if !got {
			select {
			case at = <-baseTree:
				got = true
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		b, ok := at[c.path]
		if ok && b == c.blob {
			return nil // the path is back to what the base had: nothing new
		}
		if ok && !containsString(c.prior, b) {
			c.prior = append(c.prior, b)
		}
		return fn(c)
	})
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (b cliBackend) mergeBaseBlobs(ctx context.Context, base, head string) (map[string]string, error) {
	mb, err := b.mergeBaseInProcess(ctx, base, head)
	if err != nil {
		if mb, err = b.g.output(ctx, "merge-base", "--end-of-options", base, head); err != nil {
			return nil, err // unrelated histories have no base: nothing to compare with
		}
	}
	if out, err := b.treeBlobs(strings.TrimSpace(mb)); err == nil {
		return out, nil
	}
	out := map[string]string{}
	err = b.g.stream(ctx, nil, func(r *bufio.Reader) error {
		return treeEntries(r, func(meta []string, path string) error {
			if len(meta) == 3 && meta[1] == "blob" {
				out[path] = meta[2]
			}
			return nil
		})
	}, "ls-tree", "-r", "-z", "--full-tree", strings.TrimSpace(mb))
	return out, err
}

// mergeBaseInProcess is mergeBase for two revisions, errAskGit when git
// must answer.
func (b cliBackend) mergeBaseInProcess(ctx context.Context, base, head string) (string, error) {
	if b.objects == "" {
		return "", errAskGit
	}
	a, err := b.commitID(ctx, base)
	if err != nil {
		return "", errAskGit
	}
	h, err := b.commitID(ctx, head)
	if err != nil {
		return "", errAskGit
	}
	o, err := openObjReader(b.objects)
	if err != nil {
		return "", errAskGit
	}
	defer o.close()
	return o.mergeBase(b.gitDir, a, h)
}

// treeBlobs lists the blobs of a commit's tree by path, in-process (an
// ls-tree -r process cost more than reading the trees here).
func (b cliBackend) treeBlobs(commit string) (map[string]string, error) {
	if b.objects == "" {
		return nil, errUnsupported
	}
	o, err := openObjReader(b.objects)
	if err != nil {
		return nil, err
	}
	defer o.close()
	tree, err := o.treeOf(commit)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	return out, o.blobsUnder(tree, "", out)
}

// treeEntries reads NUL-terminated "meta\tpath" entries, as ls-tree -z and
// ls-files -s -z write them, calling fn with the meta fields and the path.
func treeEntries(r *bufio.Reader, fn func(meta []string, path string) error) error {
	for {
		entry, err := r.ReadString(0)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		meta, path, ok := strings.Cut(strings.TrimSuffix(entry, "\x00"), "\t")
		if !ok {
			continue
		}
		if err := fn(strings.Fields(meta), path); err != nil {
			return err
		}
	}
}

func (b goGit) mergeBaseBlobs(ctx context.Context, base, head string) (map[string]string, error) {
	repo, done, err := b.open()
	if err != nil {
		return nil, err
	}
	defer done()
	var cs [2]*gitobject.Commit
	for i, rev := range []string{base, head} {
		h, err := resolveCommit(repo, rev)
		if err != nil {
			return nil, err
		}
		if cs[i], err = repo.CommitObject(h); err != nil {
			return nil, err
		}
	}
	bases, err := cs[0].MergeBase(cs[1])
	if err != nil || len(bases) == 0 {
		return nil, errors.Join(errors.New("no merge base"), err)
	}
	tree, err := bases[0].Tree()
	if err != nil {
		return nil, fmt.Errorf("merge base tree: %w", err)
	}
	out := map[string]string{}
	err = tree.Files().ForEach(func(f *gitobject.File) error {
		out[f.Name] = f.Hash.String()
		return ctx.Err()
	})
	return out, err
}
