package detect

import (
	"regexp"

	"github.com/scanner-dev/scanner/finding"
)

// regexEngine runs a user rule's regular expression over the chunk. With
// named parts, each named group is a part; otherwise the secret group is the
// one part, named "secret".
type regexEngine struct {
	re          *regexp.Regexp
	parts       []string
	secretGroup int
	minEntropy  float64
}

func (e regexEngine) find(s *scan, _ []int) []candidate {
	var out []candidate
	for _, m := range e.re.FindAllSubmatchIndex(s.data, -1) {
		c, ok := e.candidate(s.data, m)
		if ok {
			out = append(out, c)
		}
	}
	return out
}

func (e regexEngine) candidate(data []byte, m []int) (candidate, bool) {
	groups := []int{e.secretGroup}
	names := []string{"secret"}
	if len(e.parts) > 0 {
		groups, names = nil, e.parts
		for _, p := range e.parts {
			groups = append(groups, e.re.SubexpIndex(p))
		}
	}
	c := candidate{start: -1}
	for i, g := range groups {
		a, b := m[2*g], m[2*g+1]
		if a < 0 {
			return c, false
		}
		v := string(data[a:b])
		if e.minEntropy > 0 && entropy(v) < e.minEntropy {
			return c, false
		}
		c.parts = append(c.parts, finding.Part{Name: names[i], Value: finding.NewSecret(v)})
		if c.start < 0 || a < c.start {
			c.start = a
		}
		c.end = max(c.end, b)
	}
	return c, true
}
