package detect

import (
	"fmt"
	"unicode/utf8"
)

// Sizes of a base64 value worth decoding as a nested text (a config or .env
// file stored whole in a Kubernetes Secret's data): longer than an encoded
// "id:key" pair, and not a bulk blob (an image, an archive).
const nestedMin, nestedMax = 144, 64 << 10

// nestedCrisp finds tokens in base64 values that decode to text, such as a
// whole config.json or .env file in a Kubernetes Secret's data. A value near
// a Crisp anchor (or holding one, encoded) is decoded and scanned as a chunk
// of its own in which every pair counts as anchored; what it finds is placed
// on the encoded value.
func (e crispEngine) nested(s *scan, anchors, runs []int) []candidate {
	var out []candidate
	done := 0
	for _, i := range runs {
		if i < done {
			continue
		}
		tok, end := joinedBase64(s.data, i)
		done = end
		if n := len(tok); n < nestedMin || n > nestedMax ||
			!anchoredNear(s, anchors, i, end, anchorLines, anchorBytes) {
			continue
		}
		if text, ok := decodedText(tok); ok {
			// the trace names the encoded value's place: where, then lines within
			sub := &scan{data: text, where: fmt.Sprintf("%s:%d(base64)", s.where, s.line0+s.line(i)), line0: 1}
			for _, c := range e.pairs(sub, crispValues(text), nil, func(crispPairCand) bool { return true }) {
				c.start, c.end = i, end
				out = append(out, c)
			}
		}
	}
	return out
}

// decodedText decodes a base64 value and returns it when it reads as text:
// valid UTF-8 without control bytes other than tab, CR and LF. The first
// bytes are checked before the whole value is decoded.
func decodedText(tok string) ([]byte, bool) {
	if head, ok := decodeAnyBase64(tok[:96]); !ok || !isText(head) {
		return nil, false
	}
	b, ok := decodeAnyBase64(tok)
	if !ok || !isText(b) {
		return nil, false
	}
	return b, true
}

func isText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return utf8.Valid(b)
}
