package detect

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/scanner-dev/scanner/finding"
)

// kustomerEngine finds Kustomer API keys: HS256 JWTs whose payload says
// iss "urn:api" and aud "urn:consumer", and userType "machine" when the claim
// is there (older keys lack it). The keyword hits fall inside the payload, so
// each hit is widened to the token around it.
type kustomerEngine struct{}

type kustomerClaims struct {
	ID       string   `json:"id"`
	User     string   `json:"user"`
	Org      string   `json:"org"`
	OrgName  string   `json:"orgName"`
	UserType *string  `json:"userType"`
	Pod      string   `json:"pod"`
	Roles    []string `json:"roles"`
	Exp      int64    `json:"exp"`
	Aud      string   `json:"aud"`
	Iss      string   `json:"iss"`
}

func (kustomerEngine) find(s *scan, hits []int) []candidate {
	var out []candidate
	done := -1
	for _, h := range hits {
		if h < done {
			continue
		}
		if c, end, ok := encodedKustomer(s.data, h); ok {
			c.start, c.end, done = h, end, end
			out = append(out, c)
			continue
		}
		start, end, ok := jwtAround(s.data, h)
		if !ok {
			continue
		}
		done = end
		if c, ok := kustomerCandidate(string(s.data[start:end])); ok {
			c.start, c.end = start, end
			out = append(out, c)
		}
	}
	return out
}

func isB64URLByte(b byte) bool { return isAlnum(b) || b == '-' || b == '_' }

// jwtAround returns the span of the three-part token whose payload holds pos.
func jwtAround(data []byte, pos int) (int, int, bool) {
	ps := pos
	for ps > 0 && isB64URLByte(data[ps-1]) {
		ps--
	}
	pe := pos
	for pe < len(data) && isB64URLByte(data[pe]) {
		pe++
	}
	if ps < 2 || data[ps-1] != '.' || pe >= len(data) || data[pe] != '.' {
		return 0, 0, false
	}
	hs := ps - 1
	for hs > 0 && isB64URLByte(data[hs-1]) {
		hs--
	}
	se := pe + 1
	for se < len(data) && isB64URLByte(data[se]) {
		se++
	}
	if se-(pe+1) != 43 || hs == ps-1 {
		return 0, 0, false
	}
	return hs, se, true
}

func kustomerCandidate(tok string) (candidate, bool) {
	parts := strings.Split(tok, ".")
	var hdr struct {
		Alg string `json:"alg"`
	}
	var c kustomerClaims
	if len(parts) != 3 || !decodeJSONSegment(parts[0], &hdr) || !decodeJSONSegment(parts[1], &c) {
		return candidate{}, false
	}
	if hdr.Alg != "HS256" || c.Iss != "urn:api" || c.Aud != "urn:consumer" ||
		c.UserType != nil && *c.UserType != "machine" {
		return candidate{}, false
	}
	cand := candidate{
		parts:   []finding.Part{{Name: "token", Value: finding.NewSecret(tok)}},
		details: kustomerDetails(c),
	}
	if len(c.Roles) == 1 && c.Roles[0] == "org.tracking" {
		cand.severity = finding.Low // a chat key: public by design
	}
	return cand, true
}

func decodeJSONSegment(seg string, v any) bool {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(seg, "="))
	return err == nil && json.Unmarshal(b, v) == nil
}

func kustomerDetails(c kustomerClaims) map[string]string {
	d := map[string]string{
		"org_name": c.OrgName, "org_id": c.Org, "token_id": c.ID, "user_id": c.User,
		"roles": strings.Join(c.Roles, ","), "pod": c.Pod,
	}
	if len(c.Roles) == 1 && c.Roles[0] == "org.tracking" {
		d["kind"] = "chat key (org.tracking only, public by design)"
	}
	if c.Exp > 0 {
		exp := time.Unix(c.Exp, 0).UTC()
		d["expires_at"] = exp.Format(time.RFC3339)
		if exp.Before(time.Now()) {
			d["expired"] = "true"
		}
	} else {
		d["expires_at"] = "never"
	}
	for k, v := range d {
		if v == "" {
			delete(d, k)
		}
	}
	return d
}
