package corpus

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/scanner-dev/scanner/finding"
	"github.com/scanner-dev/scanner/rules"
)

// Rule ids the plants name.
const (
	crisp    = "crisp-token"
	kustomer = "kustomer-api-key"
	basic    = "generic-basic-auth"
	bearer   = "generic-bearer-token"
)

// gen makes credential-shaped values from a seeded source, so that a failing
// seed can be replayed and nothing credential-shaped is ever committed.
type gen struct{ r *rand.Rand }

func newGen(seed uint64) *gen { return &gen{r: rand.New(rand.NewPCG(seed, 14))} }

func (g *gen) uuid() string     { return rules.RandomUUID(g.r) }
func (g *gen) hex64() string    { return rules.RandomHex(g.r, 32) }
func (g *gen) hex(n int) string { return rules.RandomHex(g.r, n) }

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// token returns n random alphanumerics, holding at least one digit and one
// letter.
func (g *gen) token(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[g.r.IntN(len(alnum))]
	}
	b[0], b[n/2] = 'k', byte('0'+g.r.IntN(10))
	return string(b)
}

func (g *gen) user() string { return "svc-" + strings.ToLower(g.token(7)) }

// kustomer returns a Kustomer API key with the given roles.
func (g *gen) kustomer(roles ...string) string {
	if len(roles) == 0 {
		roles = []string{"org.permission.conversation.read", "org.permission.customer.update"}
	}
	return rules.KustomerJWT(g.r, "acme-"+strings.ToLower(g.token(5)), roles, 0, true)
}

// kustomerExpiring returns a Kustomer key that expires in a month.
func (g *gen) kustomerExpiring() string {
	return rules.KustomerJWT(g.r, "acme-eu", []string{"org.user.customer.read"}, time.Now().Add(30*24*time.Hour).Unix(), true)
}

func b64(s ...string) string { return base64.StdEncoding.EncodeToString([]byte(strings.Join(s, ""))) }

// plant is one credential a form holds: the rule that must report it, its
// parts in the rule's order, and the text whose first occurrence is on the
// line the finding must start at (default: the part that comes first).
type plant struct {
	rule  string
	parts []string
	at    string
}

func pair(id, key string) plant       { return plant{rule: crisp, parts: []string{id, key}} }
func kjwt(tok string) plant           { return plant{rule: kustomer, parts: []string{tok}} }
func userPass(u, p string) plant      { return plant{rule: basic, parts: []string{u, p}} }
func bearerTok(tok string) plant      { return plant{rule: bearer, parts: []string{tok}} }
func (p plant) atText(s string) plant { p.at = s; return p }
func (p plant) fingerprint() string {
	parts := make([]finding.Part, len(p.parts))
	for i, v := range p.parts {
		parts[i] = finding.Part{Value: finding.NewSecret(v)}
	}
	return finding.Fingerprint(parts...)
}

// line returns the 1-based line of the plant's anchor in text, or 0.
func (p plant) line(text string) int {
	best := -1
	anchors := p.parts
	if p.at != "" {
		anchors = []string{p.at}
	}
	for _, a := range anchors {
		if i := strings.Index(text, a); i >= 0 && (best < 0 || i < best) {
			best = i
		}
	}
	if best < 0 {
		return 0
	}
	return strings.Count(text[:best], "\n") + 1
}

func (p plant) String() string { return fmt.Sprintf("%s(%d parts)", p.rule, len(p.parts)) }

// form is one way people write credentials down: a file path and a render
// function returning the file's text and the credentials planted in it.
type form struct {
	name   string
	path   string
	render func(g *gen) (string, []plant)
}

// trap is text that looks like a credential and is not one.
type trap struct {
	name   string
	path   string
	render func(g *gen) string
}

func b64url(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
