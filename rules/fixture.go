package rules

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"text/template"
	"time"
)

// Fixture holds credential-shaped values generated at run time, to fill the
// rule examples' templates ({{.ID}}, {{b64 .Key}}, ...). Nothing it produces is
// a real credential, and nothing credential-shaped needs committing.
type Fixture struct {
	ID, Key     string // a Crisp identifier (UUID v4) and key (64 hex)
	ID2, Key2   string // a second Crisp pair
	WebsiteID   string // a Crisp website id (public)
	UUID        string // an unrelated UUID v4
	Hex         string // an unrelated 64-hex value (a digest)
	Token       string // a 40-character random bearer token
	User        string // a plausible service user name
	Password    string // a 24-character random password
	KustomerKey string // a Kustomer API key with admin roles and no expiry
	// KustomerChatKey is a Kustomer key whose only role is org.tracking.
	KustomerChatKey string
	// KustomerExpired is a Kustomer key that expired a year ago.
	KustomerExpired string
	// KustomerBare is a Kustomer key without the userType and pod claims, as
	// older keys are.
	KustomerBare string
	// CustomerJWT is an HS256 chat login JWT ({email, iat}), not an API key.
	CustomerJWT string

	ID3, Key3 string // a third Crisp pair, for lists of tokens
	// KustomerMany is a Kustomer key with twenty roles, an expiry in the
	// future and the EU pod: a long payload.
	KustomerMany string
	// KustomerLoose is a Kustomer key shaped as other tooling writes them: no
	// userType, an extra "usr" claim, "exp": 0 and JSON with spaces.
	KustomerLoose string
	// KustomerSession is a JWT with Kustomer's audience and issuer but
	// userType "user": a person's session token, not an API key.
	KustomerSession string
	// OtherJWT is an HS256 JWT of some other service ({sub, name, iat}).
	OtherJWT string
}

// NewFixture generates a fixture from r.
func NewFixture(r *rand.Rand) *Fixture {
	org := "acme-" + randString(r, "abcdefghijklmnopqrstuvwxyz", 6)
	f := &Fixture{
		ID: RandomUUID(r), Key: RandomHex(r, 32),
		ID2: RandomUUID(r), Key2: RandomHex(r, 32),
		WebsiteID: RandomUUID(r), UUID: RandomUUID(r), Hex: RandomHex(r, 32),
		Token:    randString(r, alnum, 40),
		User:     "svc-" + randString(r, "abcdefghijklmnopqrstuvwxyz", 6),
		Password: randString(r, alnum, 24),
	}
	f.KustomerKey = KustomerJWT(r, org, []string{"org.admin", "org.user"}, 0, true)
	f.KustomerChatKey = KustomerJWT(r, org, []string{"org.tracking"}, 0, true)
	f.KustomerExpired = KustomerJWT(r, org, []string{"org.permission.conversation.read"}, time.Now().Add(-365*24*time.Hour).Unix(), true)
	f.KustomerBare = KustomerJWT(r, org, []string{"org.user.customer.read"}, 0, false)
	f.CustomerJWT = jwt(r, map[string]any{"email": "someone@example.com", "iat": time.Now().Unix()})
	f.moreValues(r, org)
	return f
}

// moreValues fills the fields added after the first ones, drawing after
// them, so that a seed still gives the earlier fields their old values.
func (f *Fixture) moreValues(r *rand.Rand, org string) {
	f.ID3, f.Key3 = RandomUUID(r), RandomHex(r, 32)
	var roles []string
	for _, area := range []string{"conversation", "customer", "message", "note", "kobject",
		"klass", "user", "team", "shortcut", "workflow"} {
		roles = append(roles, "org.permission."+area+".read", "org.permission."+area+".update")
	}
	many := kustomerClaims(r, org, roles)
	many["userType"], many["pod"], many["exp"] = "machine", "prod2", time.Now().Add(90*24*time.Hour).Unix()
	f.KustomerMany = jwt(r, many)
	loose := kustomerClaims(r, org, []string{"org.user.customer.read", "org.user.conversation.read"})
	loose["usr"], loose["exp"] = RandomHex(r, 12), 0
	f.KustomerLoose = jwtSpaced(r, loose)
	session := kustomerClaims(r, org, []string{"org.user"})
	session["userType"] = "user"
	f.KustomerSession = jwt(r, session)
	f.OtherJWT = jwt(r, map[string]any{"sub": RandomHex(r, 8), "name": "Jane Roe", "iat": time.Now().Unix()})
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// RandomUUID returns a random version-4 UUID in lowercase.
func RandomUUID(r *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// RandomHex returns n random bytes as lowercase hex.
func RandomHex(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return hex.EncodeToString(b)
}

func randString(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	// a random token of this length always holds a digit; make sure of it so
	// that examples do not flake on the rare draw without one
	if strings.ContainsAny(alphabet, "0123456789") && !bytes.ContainsAny(b, "0123456789") {
		b[n/2] = '7'
	}
	return string(b)
}

// KustomerJWT builds a Kustomer-style API key: an HS256 JWT with the claims
// Kustomer puts in machine tokens. exp 0 means no expiry; full adds the
// userType and pod claims that newer keys carry.
func KustomerJWT(r *rand.Rand, org string, roles []string, exp int64, full bool) string {
	c := kustomerClaims(r, org, roles)
	if full {
		c["userType"], c["pod"] = "machine", "prod1"
	}
	if exp != 0 {
		c["exp"] = exp
	}
	return jwt(r, c)
}

// kustomerClaims returns the claims every Kustomer API key has.
func kustomerClaims(r *rand.Rand, org string, roles []string) map[string]any {
	c := map[string]any{
		"id": RandomHex(r, 12), "user": RandomHex(r, 12), "org": RandomHex(r, 12),
		"orgName": org, "roles": roles, "aud": "urn:consumer", "iss": "urn:api",
	}
	c["sub"] = c["user"]
	return c
}

func jwt(r *rand.Rand, claims map[string]any) string {
	body, err := json.Marshal(claims)
	if err != nil {
		panic(err) // maps of strings and numbers always marshal
	}
	return signedJWT(r, body)
}

// jwtSpaced is jwt with the payload written as Python's json.dumps writes
// it, with a space after every colon and comma, so that base64 fragments of
// the claims fall at other offsets.
func jwtSpaced(r *rand.Rand, claims map[string]any) string {
	indented, err := json.MarshalIndent(claims, "", "")
	if err != nil {
		panic(err)
	}
	body := strings.NewReplacer("{\n", "{", "[\n", "[", ",\n", ", ", "\n}", "}", "\n]", "]").Replace(string(indented))
	return signedJWT(r, []byte(body))
}

func signedJWT(r *rand.Rand, body []byte) string {
	enc := base64.RawURLEncoding
	sig := make([]byte, 32)
	for i := range sig {
		sig[i] = byte(r.UintN(256))
	}
	return enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." +
		enc.EncodeToString(body) + "." + enc.EncodeToString(sig)
}

var templateFuncs = template.FuncMap{
	"b64":    func(s ...string) string { return base64.StdEncoding.EncodeToString([]byte(strings.Join(s, ""))) },
	"b64url": func(s ...string) string { return base64.RawURLEncoding.EncodeToString([]byte(strings.Join(s, ""))) },
	"b64nl":  func(s ...string) string { return base64.StdEncoding.EncodeToString([]byte(strings.Join(s, "") + "\n")) },
	"json": func(s string) string {
		b, _ := json.Marshal(s)
		return string(b[1 : len(b)-1])
	},
	"upper": strings.ToUpper,
	// b64raw is standard base64 without the "=" padding.
	"b64raw": func(s ...string) string { return base64.RawStdEncoding.EncodeToString([]byte(strings.Join(s, ""))) },
	// b64urlpad is URL-safe base64 with padding, as Python's urlsafe_b64encode writes it.
	"b64urlpad": func(s ...string) string { return base64.URLEncoding.EncodeToString([]byte(strings.Join(s, ""))) },
	// b64wrap is base64 cut into lines of width characters, as the base64
	// command (76) and openssl (64) write it.
	"b64wrap": func(width int, s ...string) string {
		enc := base64.StdEncoding.EncodeToString([]byte(strings.Join(s, "")))
		var lines []string
		for len(enc) > width {
			lines, enc = append(lines, enc[:width]), enc[width:]
		}
		return strings.Join(append(lines, enc), "\n")
	},
}

// Render fills a template with the fixture's values.
func (f *Fixture) Render(name, text string) (string, error) {
	t, err := template.New(name).Funcs(templateFuncs).Option("missingkey=error").Parse(text)
	if err != nil {
		return "", fmt.Errorf("example %s: %w", name, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, f); err != nil {
		return "", fmt.Errorf("example %s: %w", name, err)
	}
	return b.String(), nil
}

// RenderedExample is an Example with its templates filled.
type RenderedExample struct {
	Example
	Text       string
	Secret     string
	WebsiteIDs []string
}

// Render fills every template of the example.
func (e Example) Render(f *Fixture) (RenderedExample, error) {
	out := RenderedExample{Example: e}
	var err error
	if out.Text, err = f.Render(e.Name, e.Text); err != nil {
		return out, err
	}
	if out.Secret, err = f.Render(e.Name, e.Secret); err != nil {
		return out, err
	}
	for _, w := range e.WebsiteIDs {
		v, err := f.Render(e.Name, w)
		if err != nil {
			return out, err
		}
		out.WebsiteIDs = append(out.WebsiteIDs, v)
	}
	return out, nil
}
