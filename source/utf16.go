package source

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/scanner-dev/scanner/finding"
)

// UTF-16 text (Windows PowerShell's `>` and Out-File write .env and config
// files as UTF-16LE; some tools write UTF-16BE) is full of NUL bytes and
// would be skipped as binary. It is decoded to UTF-8 before detection
// instead, so that a credential in it is found at the right line. Offsets in
// such content count bytes of the decoded text.

// utf16Sample is how many leading bytes decide whether NUL-laden content is
// UTF-16 text.
const utf16Sample = 4096

// utf16Text reports whether content starting with head is UTF-16 text and in
// which byte order: its sample holds NUL bytes (the high bytes of ASCII
// characters; content without any is read as it is, a stray mark included),
// and it starts with a byte-order mark or its NULs fall on one side of the
// code units only, and the sample's code units are printable. Text without
// NUL returns after one memchr of the sample.
func utf16Text(head []byte) (binary.ByteOrder, bool) {
	sample := head[:min(len(head), utf16Sample)&^1]
	if len(sample) < 2 || bytes.IndexByte(sample, 0) < 0 {
		return nil, false
	}
	var order binary.ByteOrder
	switch {
	case head[0] == 0xff && head[1] == 0xfe:
		if len(head) >= 4 && head[2] == 0 && head[3] == 0 {
			return nil, false // UTF-32LE's mark
		}
		order = binary.LittleEndian
	case head[0] == 0xfe && head[1] == 0xff:
		order = binary.BigEndian
	default:
		if order = nulSide(sample); order == nil {
			return nil, false
		}
	}
	return order, printableUTF16(sample, order)
}

// nulSide returns the byte order whose high bytes hold the sample's NULs:
// little-endian when at least a quarter of the odd bytes and almost no even
// bytes are NUL, big-endian the other way round, nil otherwise.
func nulSide(sample []byte) binary.ByteOrder {
	var nul [2]int
	for i, b := range sample {
		if b == 0 {
			nul[i&1]++
		}
	}
	units := len(sample) / 2
	switch {
	case nul[1]*4 >= units && nul[0]*20 <= units:
		return binary.LittleEndian
	case nul[0]*4 >= units && nul[1]*20 <= units:
		return binary.BigEndian
	}
	return nil
}

// printableUTF16 reports whether the code units of sample are text: no NUL,
// at most one in twenty a control character other than tab, CR and LF.
func printableUTF16(sample []byte, order binary.ByteOrder) bool {
	units, bad := 0, 0
	for i := 0; i+1 < len(sample); i += 2 {
		u := order.Uint16(sample[i:])
		units++
		switch {
		case u == 0:
			return false
		case u < 0x20 && u != '\t' && u != '\n' && u != '\r', u == 0x7f:
			bad++
		}
	}
	return units > 0 && bad*20 <= units
}

// utf16 scans UTF-16 content: head holds its first bytes, already read from
// r. The decoded text is cut into windows as any other content.
func (f *feeder) utf16(ctx context.Context, id string, r io.Reader, locs []finding.Location, head *[]byte, order binary.ByteOrder) error {
	defer putBuf(head) // the decoder reads head until windows returns
	dec := &utf16Reader{r: io.MultiReader(bytes.NewReader(*head), r), order: order, first: true}
	buf := getBuf(WindowSize)
	n, err := io.ReadFull(dec, *buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		putBuf(buf)
		return fmt.Errorf("read %s: %w", describe(id, locs), err)
	}
	*buf = (*buf)[:n]
	f.stats.blobs.Add(1)
	return f.windows(ctx, id, -1, dec, locs, buf, keywordHits{})
}

// utf16Reader decodes UTF-16 in the given byte order to UTF-8, dropping a
// leading byte-order mark; unpaired surrogates become U+FFFD.
type utf16Reader struct {
	r     io.Reader
	order binary.ByteOrder
	first bool
	in    [4096]byte
	have  int    // undecoded bytes at the start of in
	out   []byte // decoded bytes not yet returned
	err   error
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 {
		if u.err != nil {
			return 0, u.err
		}
		u.fill()
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}

// fill reads more input and decodes every whole code unit (and pair) of it.
func (u *utf16Reader) fill() {
	n, err := u.r.Read(u.in[u.have:])
	u.have += n
	if err != nil {
		u.err = err
	}
	i, out := 0, u.out[:0]
	for ; i+1 < u.have; i += 2 {
		c := rune(u.order.Uint16(u.in[i:]))
		if u.first {
			u.first = false
			if c == 0xfeff {
				continue
			}
		}
		if utf16.IsSurrogate(c) {
			if i+3 >= u.have && u.err == nil {
				break // the pair's second half comes with the next read
			}
			if i+3 < u.have {
				if r := utf16.DecodeRune(c, rune(u.order.Uint16(u.in[i+2:]))); r != utf8.RuneError {
					out = utf8.AppendRune(out, r)
					i += 2
					continue
				}
			}
			c = utf8.RuneError
		}
		out = utf8.AppendRune(out, c)
	}
	u.have = copy(u.in[:], u.in[i:u.have])
	if u.err != nil {
		u.have = 0 // an odd last byte is no character
	}
	u.out = out
}
