package detect

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"testing"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
)

// seedExamples adds every rule example, filled from a fixed fixture, to a
// fuzz corpus, so that the fuzzers start from every form we know.
func seedExamples(f *testing.F) {
	fx := rules.NewFixture(rand.New(rand.NewPCG(7, 7)))
	for _, r := range rules.MustDefault().Rules {
		for _, ex := range r.Examples {
			re, err := ex.Render(fx)
			if err != nil {
				f.Fatal(err)
			}
			f.Add([]byte(re.Text))
		}
	}
	f.Add([]byte{0, 0xff, 0xfe, 'c', 'r', 'i', 's', 'p', '\n', 0})
}

// FuzzDetect checks what must hold for any input: no panic, spans inside the
// data, lines and columns in range, fingerprints well formed, redacted text
// free of the raw secret.
func FuzzDetect(f *testing.F) {
	seedExamples(f)
	d := New(rules.MustDefault())
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, fd := range d.Detect(finding.Chunk{Data: data, Line: 1}) {
			if fd.Start < 0 || fd.End > int64(len(data)) || fd.Start >= fd.End {
				t.Fatalf("span %d..%d outside %d bytes", fd.Start, fd.End, len(data))
			}
			if fd.Line < 1 || fd.EndLine < fd.Line || fd.EndLine > lines || fd.Column < 1 {
				t.Fatalf("line %d..%d col %d of %d lines", fd.Line, fd.EndLine, fd.Column, lines)
			}
			if len(fd.Fingerprint) != 71 {
				t.Fatalf("fingerprint %q", fd.Fingerprint)
			}
			for _, p := range fd.Parts {
				if v := p.Value.Reveal(); len(v) >= 12 && bytes.Contains([]byte(fd.Redacted()), []byte(v)) {
					t.Fatalf("redacted %q holds the raw part", fd.Redacted())
				}
			}
		}
	})
}

// FuzzCrispValues checks the value scanner: every value it reports has the
// shape it claims and lies inside the data.
func FuzzCrispValues(f *testing.F) {
	seedExamples(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, v := range crispValues(data) {
			if v.start < 0 || v.end > len(data) || v.start >= v.end {
				t.Fatalf("span %d..%d", v.start, v.end)
			}
			switch v.kind {
			case crispUUID:
				if !isUUID(v.text) {
					t.Fatalf("uuid %q", v.text)
				}
			case crispHex:
				if !isHex64(v.text) {
					t.Fatalf("hex %q", v.text)
				}
			case crispPair:
				if !isUUID(v.text) || !isHex64(v.key) {
					t.Fatalf("pair %q %q", v.text, v.key)
				}
			}
		}
	})
}

// FuzzDecodeBasic checks that whatever decodeBasic accepts re-encodes to a
// credential with a colon and a password of six or more bytes.
func FuzzDecodeBasic(f *testing.F) {
	f.Add(base64.StdEncoding.EncodeToString([]byte("svc-deploy:Zq81kx0Pq2n")))
	f.Add("QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
	f.Add("not base64!")
	f.Fuzz(func(t *testing.T, tok string) {
		user, pass, ok := decodeBasic(tok)
		if ok && (len(pass) < 6 || bytes.ContainsAny([]byte(user+pass), "\x00\n")) {
			t.Fatalf("accepted %q:%q", user, pass)
		}
	})
}

// FuzzKustomer checks the JWT decoder never panics and accepts only tokens
// with the Kustomer claims.
func FuzzKustomer(f *testing.F) {
	fx := rules.NewFixture(rand.New(rand.NewPCG(3, 3)))
	f.Add(fx.KustomerKey)
	f.Add(fx.CustomerJWT)
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, tok string) {
		c, ok := kustomerCandidate(tok)
		if ok && c.parts[0].Value.Reveal() != tok {
			t.Fatal("token part differs from the token")
		}
	})
}
