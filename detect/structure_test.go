package detect

import (
	"strings"
	"testing"
)

// TestSharedStructure checks the structure two values are paired within:
// its kind and name, for each form the model reads.
func TestSharedStructure(t *testing.T) {
	cases := []struct{ name, text, kind, sname string }{
		{"call over lines", "crisp.authenticateTier(\"plugin\",\n  \"{{.ID}}\",\n  \"{{.Key}}\")\n", "call", "authenticateTier"},
		{"json object", "{\"crisp\": {\"identifier\": \"{{.ID}}\",\n  \"key\": \"{{.Key}}\"}}\n", "object", "crisp"},
		{"yaml mapping", "crisp:\n  identifier: {{.ID}}\n  key: {{.Key}}\nother: 1\n", "object", "crisp"},
		{"ini section", "[crisp]\nidentifier = {{.ID}}\n\nkey = {{.Key}}\n", "section", "crisp"},
		{"env block", "A={{.ID}}\nB={{.Key}}\n\nC=1\n", "block", ""},
		{"one line", "{{.ID}} {{.Key}}\n", "line", ""},
		{"nothing shared", "A={{.ID}}\n\nB={{.Key}}\n", "none", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fx := fixture(t)
			data := render(t, fx, c.text)
			s := &scan{data: data}
			vals := crispValues(data)
			if len(vals) != 2 {
				t.Fatalf("%d values", len(vals))
			}
			a, b := place(s, vals[0].start, vals[0].end), place(s, vals[1].start, vals[1].end)
			st, ok := shared(a, b)
			if !ok {
				st.kind = structNone
			}
			if st.kind.String() != c.kind || st.name != c.sname {
				t.Errorf("shared %s %q, want %s %q", st.kind, st.name, c.kind, c.sname)
			}
		})
	}
}

func TestCallArgumentsAndHolderNames(t *testing.T) {
	fx := fixture(t)
	data := render(t, fx, "client.authenticate_tier(\"website\", \"{{.ID}}\", \"{{.Key}}\")\n{\"hashes\": [{\"alg\": \"SHA-256\", \"content\": \"{{.Hex}}\"}]}\n")
	s := &scan{data: data}
	vals := crispValues(data)
	want := []struct {
		r   role
		why string
	}{{roleIdentifier, "argument 2 of authenticate_tier"}, {roleKey, "argument 3 of authenticate_tier"}, {roleNotKey, `object "hashes"`}}
	for i, w := range want {
		r, why := crispRole(s, vals[i], place(s, vals[i].start, vals[i].end))
		if r != w.r || why != w.why {
			t.Errorf("value %d: role %s by %s, want %s by %s", i, roleNames[r], why, roleNames[w.r], w.why)
		}
	}
}

func TestTableColumnNames(t *testing.T) {
	fx := fixture(t)
	cases := []struct{ text, want string }{
		{"order_id,channel,payload_sha256\n{{.UUID}},crisp,{{.Hex}}\n", "payload_sha256"},
		{"| id | hash |\n|----|------|\n| {{.UUID}} | {{.Hex}} |\n", "hash"},
		{"INSERT INTO api_tokens (id, provider, token_sha256) VALUES ('{{.UUID}}', 'crisp', '{{.Hex}}');\n", "token_sha256"},
	}
	for _, c := range cases {
		data := render(t, fx, c.text)
		s := &scan{data: data}
		vals := crispValues(data)
		last := vals[len(vals)-1]
		at := place(s, last.start, last.end)
		got := columnName(s, last.start, at)
		if got == "" {
			got = sqlColumnName(data, last.start)
		}
		if got != c.want {
			t.Errorf("%q: column %q, want %q", c.text, got, c.want)
		}
	}
}

// TestSectionLinesAtTheEnd reads headers in text that ends inside or right
// after one (a fuzzer found the read running past the end).
func TestSectionLinesAtTheEnd(t *testing.T) {
	for _, text := range []string{"[crisp", "[crisp]", "x\n[", "a\n[crisp]\nb\n[", "[Crisp " + strings.Repeat("0", 64)} {
		s := &scan{data: []byte(text)}
		sectionLines(s)
		sectionAround(s, len(text)-1)
	}
}
