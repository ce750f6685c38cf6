package source

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/klauspost/compress/zlib"
)

// listLoose returns the ids of the loose objects of an object directory.
func listLoose(dir string) ([]string, error) {
	var ids []string
	for i := range 256 {
		sub := fmt.Sprintf("%02x", i)
		names, err := os.ReadDir(filepath.Join(dir, sub))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			if len(n.Name()) == 38 && isHex(n.Name()) {
				ids = append(ids, sub+n.Name())
			}
		}
	}
	return ids, nil
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil
}

// looseBlobs reads the loose blobs not in seen (nil: none seen), adding
// them to it.
func (s *objectStore) looseBlobs(ctx context.Context, seen map[[20]byte]bool, fn ownedFn, onCorrupt func(string, error)) error {
	var zr io.ReadCloser
	br := bufio.NewReaderSize(nil, 32<<10)
	for _, id := range s.loose {
		if err := ctx.Err(); err != nil {
			return err
		}
		if seen != nil {
			var raw [20]byte
			_, _ = hex.Decode(raw[:], []byte(id))
			if seen[raw] {
				continue
			}
			seen[raw] = true
		}
		buf, err := readLoose(filepath.Join(s.dir, id[:2], id[2:]), &zr, br)
		if err == errNotBlob {
			continue
		}
		if err != nil {
			onCorrupt(id, err)
			continue
		}
		if err := fn(id, buf, keywordHits{}); err != nil {
			return err
		}
	}
	if zr != nil {
		zr.Close()
	}
	return nil
}

// errNotBlob is a loose object that is not a blob: skipped.
var errNotBlob = fmt.Errorf("not a blob")

// readLoose inflates one loose object, returning its content when it is a
// blob. zr and br are reused from call to call.
func readLoose(path string, zr *io.ReadCloser, br *bufio.Reader) (*[]byte, error) {
	_, buf, err := readLooseObject(path, "blob", zr, br)
	return buf, err
}

// readLooseObject inflates one loose object of type want (any type when
// want is ""), returning its type and content; an object of another type is
// errNotBlob, and is not inflated past its header.
func readLooseObject(path, want string, zr *io.ReadCloser, br *bufio.Reader) (string, *[]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", nil, err
	}
	br.Reset(f)
	if *zr == nil {
		if *zr, err = zlib.NewReader(br); err != nil {
			return "", nil, fmt.Errorf("%v: %w", err, errCorruptObject)
		}
	} else if err := (*zr).(zlib.Resetter).Reset(br, nil); err != nil {
		return "", nil, fmt.Errorf("%v: %w", err, errCorruptObject)
	}
	typ, size, rest, err := looseHeader(*zr, maxInflated(fi.Size()))
	if err != nil {
		return "", nil, err
	}
	if want != "" && typ != want {
		return typ, nil, errNotBlob
	}
	buf := getBuf(int(size))
	copy(*buf, rest)
	if _, err := io.ReadFull(*zr, (*buf)[len(rest):]); err != nil {
		putBuf(buf)
		return "", nil, fmt.Errorf("inflate: %v: %w", err, errCorruptObject)
	}
	var one [1]byte
	if m, err := (*zr).Read(one[:]); m > 0 || (err != io.EOF) {
		putBuf(buf)
		return "", nil, fmt.Errorf("longer than its header says, or a bad checksum: %w", errCorruptObject)
	}
	return typ, buf, nil
}

// looseHeader reads a loose object's "type size\0" header (its size at most
// limit) and returns the content bytes read with it.
func looseHeader(zr io.Reader, limit int64) (typ string, size int64, rest []byte, err error) {
	var head [32]byte
	n, err := io.ReadFull(zr, head[:])
	if err != nil && err != io.ErrUnexpectedEOF {
		return "", 0, nil, fmt.Errorf("header: %v: %w", err, errCorruptObject)
	}
	h := head[:n]
	sp, nul := bytes.IndexByte(h, ' '), bytes.IndexByte(h, 0)
	if sp < 0 || nul < sp {
		return "", 0, nil, fmt.Errorf("bad header: %w", errCorruptObject)
	}
	size, err = strconv.ParseInt(string(h[sp+1:nul]), 10, 64)
	if err != nil || size < 0 || size > limit {
		return "", 0, nil, fmt.Errorf("bad size in header: %w", errCorruptObject)
	}
	rest = h[nul+1:]
	if int64(len(rest)) > size {
		return "", 0, nil, fmt.Errorf("longer than its header says: %w", errCorruptObject)
	}
	return string(h[:sp]), size, rest, nil
}
