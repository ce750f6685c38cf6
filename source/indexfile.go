package source

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"unsafe"
)

// indexFile is what the staged listing needs of a git index file: its
// entries and the trees its cache-tree extension vouches for.
type indexFile struct {
	// entries are the entries that can be staged content (stage 0, not a
	// submodule, not a placeholder of git add -N), in path order.
	entries []indexEntry
	// trees maps a directory ("" for the root, "a/b/" below it) to the raw
	// tree id its index entries make, for the directories the cache-tree
	// extension holds as valid.
	trees map[string]string
	// close unmaps the file the entries point into.
	close func()
}

// indexEntry is one index entry: its path and its blob id, raw (20
// bytes). Both may point into the index file's mapping: indexFile.close
// ends them, so a caller keeps copies.
type indexEntry struct {
	path string
	id   string
}

// errIndexFormat is an index this reader leaves to git: another version, a
// mandatory extension it does not know (a split or sparse index), damage.
var errIndexFormat = errors.New("index format not read in-process")

// readIndexFile reads the index file at path, mapped: its paths and ids
// are not copied (4,846 entries on git/git, read in under a millisecond).
// A missing file is an empty index. The caller closes it.
func readIndexFile(path string) (*indexFile, error) {
	data, unmap, err := mapFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &indexFile{close: func() {}}, nil
	}
	if err != nil {
		return nil, err
	}
	ix, err := parseIndex(unsafe.String(unsafe.SliceData(data), len(data)))
	if err != nil {
		unmap()
		return nil, err
	}
	ix.close = unmap
	return ix, nil
}

// parseIndex reads index versions 2 to 4 (git's index-format document). The
// trailing checksum is not verified: git does not either when
// index.skipHash is set, and a damaged file fails to parse.
func parseIndex(data string) (*indexFile, error) {
	if len(data) < 12+20 || data[:4] != "DIRC" {
		return nil, errIndexFormat
	}
	version := be32(data[4:])
	if version < 2 || version > 4 {
		return nil, errIndexFormat
	}
	n := be32(data[8:])
	body := data[12 : len(data)-20]
	ix := &indexFile{entries: make([]indexEntry, 0, min(n, uint32(len(body)/62)))}
	var prev string
	for range n {
		e, keep, rest, ok := parseIndexEntry(body, version, prev)
		if !ok {
			return nil, errIndexFormat
		}
		prev, body = e.path, rest
		if keep {
			ix.entries = append(ix.entries, e)
		}
	}
	return ix, ix.readExtensions(body)
}

// parseIndexEntry reads one entry from the start of b; prev is the previous
// entry's path, which version 4 names are compressed against. keep is
// false for an entry that cannot be staged content: a conflict's stages, a
// submodule, a sparse directory, a placeholder of git add -N.
func parseIndexEntry(b string, version uint32, prev string) (e indexEntry, keep bool, rest string, ok bool) {
	const fixed = 62 // times, dev, ino, mode, uid, gid, size, id, flags
	if len(b) < fixed {
		return e, false, "", false
	}
	mode := be32(b[24:])
	flags := uint16(b[60])<<8 | uint16(b[61])
	head, ita := fixed, false
	if flags&0x4000 != 0 { // extended flags
		if version < 3 || len(b) < fixed+2 {
			return e, false, "", false
		}
		ita = b[fixed]&0x20 != 0
		head += 2
	}
	e.id = b[40:60]
	e.path, rest, ok = indexName(b, head, version, prev)
	stage := (flags >> 12) & 3
	keep = stage == 0 && !ita && mode>>12 != 0o16 && mode>>12 != 0o04
	return e, keep, rest, ok
}

// be32 reads a big-endian uint32 from the start of s.
func be32(s string) uint32 {
	return uint32(s[0])<<24 | uint32(s[1])<<16 | uint32(s[2])<<8 | uint32(s[3])
}

// indexName reads the path that starts at b[head:] and returns the rest of
// b after the entry's padding.
func indexName(b string, head int, version uint32, prev string) (string, string, bool) {
	if version == 4 {
		strip, used := indexVarint(b[head:])
		if used == 0 || strip > uint64(len(prev)) {
			return "", "", false
		}
		end := strings.IndexByte(b[head+used:], 0)
		if end < 0 {
			return "", "", false
		}
		name := prev[:len(prev)-int(strip)] + b[head+used:head+used+end]
		return name, b[head+used+end+1:], true
	}
	end := strings.IndexByte(b[head:], 0)
	if end < 0 {
		return "", "", false
	}
	size := (head + end + 8) &^ 7 // 1 to 8 NULs pad the entry to a multiple of 8
	if size > len(b) {
		return "", "", false
	}
	return b[head : head+end], b[size:], true
}

// indexVarint decodes git's offset varint (varint.c); used is 0 when b ends
// inside it.
func indexVarint(b string) (v uint64, used int) {
	for i := range len(b) {
		c := b[i]
		if i > 8 {
			return 0, 0
		}
		if i > 0 {
			v = (v + 1) << 7
		}
		v |= uint64(c & 127)
		if c&128 == 0 {
			return v, i + 1
		}
	}
	return 0, 0
}

// readExtensions reads the cache-tree extension and refuses an index with a
// mandatory extension (its signature does not start with A-Z).
func (ix *indexFile) readExtensions(b string) error {
	for len(b) > 0 {
		if len(b) < 8 {
			return errIndexFormat
		}
		sig, size := b[:4], be32(b[4:])
		if uint64(size) > uint64(len(b)-8) {
			return errIndexFormat
		}
		data := b[8 : 8+size]
		b = b[8+size:]
		switch {
		case sig == "TREE":
			ix.trees = map[string]string{}
			if _, ok := ix.readTree(data, ""); !ok {
				ix.trees = nil // unreadable: the listing reads every tree
			}
		case sig[0] < 'A' || sig[0] > 'Z':
			return errIndexFormat
		}
	}
	return nil
}

// readTree reads one cache-tree entry for directory prefix and its
// subtrees, returning what follows them.
func (ix *indexFile) readTree(b string, prefix string) (string, bool) {
	nul := strings.IndexByte(b, 0)
	nl := strings.IndexByte(b, '\n')
	if nul < 0 || nl < nul {
		return "", false
	}
	counts := strings.Fields(b[nul+1 : nl])
	if len(counts) != 2 {
		return "", false
	}
	entries, err1 := strconv.Atoi(counts[0])
	subtrees, err2 := strconv.Atoi(counts[1])
	if err1 != nil || err2 != nil || subtrees < 0 {
		return "", false
	}
	b = b[nl+1:]
	if entries >= 0 {
		if len(b) < 20 {
			return "", false
		}
		ix.trees[prefix] = b[:20]
		b = b[20:]
	}
	for range subtrees {
		end := strings.IndexByte(b, 0)
		if end < 0 {
			return "", false
		}
		var ok bool
		if b, ok = ix.readTree(b, prefix+b[:end]+"/"); !ok {
			return "", false
		}
	}
	return b, true
}
