package source

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// objReader reads single objects of an object directory in-process: loose
// ones, then packed ones. Objects it cannot read (behind an alternate, on a
// promisor remote, damaged) are errors that are not fs.ErrNotExist: git
// reads those.
type objReader struct {
	dir string
	set *packSet
	d   *idDecoder
	zr  io.ReadCloser
	br  *bufio.Reader
}

func openObjReader(dir string) (*objReader, error) {
	set, err := openPackSet(dir)
	if err != nil {
		return nil, err
	}
	return &objReader{dir: dir, set: set, d: newIDDecoder(set), br: bufio.NewReaderSize(nil, 32<<10)}, nil
}

func (o *objReader) close() {
	o.d.close()
	o.set.close()
	if o.zr != nil {
		o.zr.Close()
	}
}

// typeNames are the object types as a pack numbers them.
var typeNames = [...]string{objCommit: "commit", objTree: "tree", objBlob: "blob", objTag: "tag"}

// read returns object id's type and content (a pooled buffer the caller
// owns). Packs are searched first: a lookup there costs less than a failed
// open of a loose object's file, and most objects a run reads are packed.
func (o *objReader) read(id string) (string, *[]byte, error) {
	if len(id) != 40 || !isHex(id) {
		return "", nil, errNotPacked
	}
	buf, t, err := o.d.any(id)
	if err == nil {
		return typeNames[t], buf, nil
	}
	typ, lbuf, lerr := readLooseObject(filepath.Join(o.dir, id[:2], id[2:]), "", &o.zr, o.br)
	if errors.Is(lerr, os.ErrNotExist) {
		return "", nil, err // the pack's answer: git may still have it
	}
	return typ, lbuf, lerr
}

// errNoSuchPath is a path a commit's tree does not hold as a blob.
var errNoSuchPath = fmt.Errorf("no such path in the commit: %w", fs.ErrNotExist)

// fileAt returns the content of the blob at path (slash-separated, from the
// root) in commit (an id), as `git cat-file blob COMMIT:PATH` does:
// errNoSuchPath when the tree holds no blob there.
func (o *objReader) fileAt(commit, path string) ([]byte, error) {
	parts := strings.Split(path, "/")
	for _, p := range parts {
		if p == "" || p == "." || p == ".." {
			return nil, fmt.Errorf("path %q: %w", path, errNotPacked) // git decides
		}
	}
	id, err := o.treeOf(commit)
	if err != nil {
		return nil, err
	}
	mode := "40000"
	for _, p := range parts {
		if mode != "40000" {
			return nil, errNoSuchPath
		}
		if mode, id, err = o.entry(id, p); err != nil {
			return nil, err
		}
	}
	typ, buf, err := o.read(id)
	if err != nil {
		return nil, err
	}
	defer putBuf(buf)
	if typ != "blob" {
		return nil, errNoSuchPath
	}
	return bytes.Clone(*buf), nil
}

// treeOf returns the id of a commit's tree.
func (o *objReader) treeOf(commit string) (string, error) {
	typ, buf, err := o.read(commit)
	if err != nil {
		return "", err
	}
	defer putBuf(buf)
	tree, ok := bytes.CutPrefix(*buf, []byte("tree "))
	if typ != "commit" || !ok || len(tree) < 40 || !isHex(string(tree[:40])) {
		return "", fmt.Errorf("commit %s: %w", commit, errCorruptObject)
	}
	return string(tree[:40]), nil
}

// blobsUnder adds the blobs of tree id and its subtrees to out by path,
// each under prefix, as ls-tree -r lists them (submodules are not blobs).
func (o *objReader) blobsUnder(id, prefix string, out map[string]string) error {
	typ, buf, err := o.read(id)
	if err != nil {
		return err
	}
	defer putBuf(buf)
	if typ != "tree" {
		return fmt.Errorf("tree %s is a %s: %w", id, typ, errCorruptObject)
	}
	return eachEntry(*buf, func(mode, name string, raw []byte) error {
		switch mode {
		case "40000":
			return o.blobsUnder(hex.EncodeToString(raw), prefix+name+"/", out)
		case "160000":
			return nil
		}
		out[prefix+name] = hex.EncodeToString(raw)
		return nil
	})
}

// eachEntry calls fn with each entry of a tree's content: its mode, name
// and raw id.
func eachEntry(t []byte, fn func(mode, name string, raw []byte) error) error {
	for len(t) > 0 {
		sp := bytes.IndexByte(t, ' ')
		nul := bytes.IndexByte(t, 0)
		if sp < 0 || nul < sp || nul+21 > len(t) {
			return fmt.Errorf("tree entry: %w", errCorruptObject)
		}
		if err := fn(string(t[:sp]), string(t[sp+1:nul]), t[nul+1:nul+21]); err != nil {
			return err
		}
		t = t[nul+21:]
	}
	return nil
}

// entry returns the mode and id of name in tree id; errNoSuchPath when the
// tree has no such entry.
func (o *objReader) entry(id, name string) (string, string, error) {
	typ, buf, err := o.read(id)
	if err != nil {
		return "", "", err
	}
	defer putBuf(buf)
	if typ != "tree" {
		return "", "", errNoSuchPath
	}
	var mode, found string
	errFound := errors.New("found")
	err = eachEntry(*buf, func(m, n string, raw []byte) error {
		if n != name {
			return nil
		}
		mode, found = m, hex.EncodeToString(raw)
		return errFound
	})
	switch {
	case errors.Is(err, errFound):
		return mode, found, nil
	case err != nil:
		return "", "", fmt.Errorf("tree %s: %w", id, err)
	}
	return "", "", errNoSuchPath
}
