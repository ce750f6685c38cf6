package corpus

import (
	"fmt"
	"strings"
)

// moreTraps are near misses: other services' ids and secrets, Crisp's own
// public ids and signatures, session JWTs, values that do not decode.
var moreTraps = []trap{
	{"other services' ids and secrets", ".env.production", func(g *gen) string {
		return fmt.Sprintf("STRIPE_WEBHOOK_ENDPOINT_ID=%s\nSTRIPE_WEBHOOK_SIGNING_SECRET=%s\nSENTRY_PROJECT_ID=%s\n", g.uuid(), g.hex64(), g.uuid())
	}},
	{"crisp webhook request in a log", "logs/webhooks.log", func(g *gen) string {
		return fmt.Sprintf("2024-07-01T08:00:00Z POST /hooks/crisp X-Crisp-Request-Timestamp=1719820800 X-Crisp-Signature=%s\n"+
			"{\"website_id\":\"%s\",\"event\":\"message:send\",\"data\":{\"session_id\":\"session_%s\",\"type\":\"text\"}}\n", g.hex64(), g.uuid(), g.uuid())
	}},
	{"crisp chatbox session in a HAR", "har/site.har", func(g *gen) string {
		return fmt.Sprintf("{\"request\": {\"url\": \"https://client.crisp.chat/static/blank.gif?website_id=%s&session_id=session_%s\",\n \"headers\": [{\"name\": \"x-request-id\", \"value\": \"%s\"}, {\"name\": \"if-none-match\", \"value\": \"W/%s\"}]}}\n", g.uuid(), g.uuid(), g.uuid(), g.hex64())
	}},
	{"pinned actions and a website id", ".github/workflows/site.yml", func(g *gen) string {
		return fmt.Sprintf("env:\n  CRISP_WEBSITE_ID: %s\nsteps:\n  - uses: actions/checkout@%s\n  - uses: actions/setup-node@%s\n", g.uuid(), g.hex(20), g.hex(20))
	}},
	{"terraform lock file", ".terraform.lock.hcl", func(g *gen) string {
		return fmt.Sprintf("provider \"registry.terraform.io/hashicorp/aws\" {\n  version = \"5.40.0\"\n  hashes = [\n    \"h1:%s\",\n    \"zh:%s\",\n    \"zh:%s\",\n  ]\n}\n", b64(g.hex(16)), g.hex64(), g.hex64())
	}},
	{"kustomer session jwt", "tests/fixtures/session.txt", func(g *gen) string {
		return "KUSTOMER_SESSION=" + sessionJWT(g) + "\n"
	}},
	{"docker auth without a password", "ci/config.json", func(g *gen) string {
		return fmt.Sprintf("{\"auths\": {\"registry.example.net\": {\"auth\": \"%s\"}}}\n", b64(g.user()+"-no-colon-here"))
	}},
	{"netrc documentation", "docs/netrc.md", func(g *gen) string {
		return "Put this in `~/.netrc`:\n\n    machine git.example.net login USERNAME password PASSWORD\n    machine api.example.net login your-user password your-password\n"
	}},
	{"empty env template", ".env.example", func(g *gen) string {
		return "CRISP_IDENTIFIER=\nCRISP_KEY=\nCRISP_WEBSITE_ID=\nKUSTOMER_API_KEY=\nNPM_TOKEN=\n"
	}},
	{"uuid and sha256 in a go.sum-like vendor manifest", "vendor/manifest.json", func(g *gen) string {
		var b strings.Builder
		b.WriteString("{\"dependencies\": [\n")
		for n := 0; n < 3; n++ {
			fmt.Fprintf(&b, "  {\"importpath\": \"github.com/crisp-im/go-crisp-api\", \"revision\": \"%s\", \"id\": \"%s\", \"sha256\": \"%s\"},\n", g.hex(20), g.uuid(), g.hex64())
		}
		b.WriteString("]}\n")
		return b.String()
	}},
	{"maven settings from the environment", "settings.xml", func(g *gen) string {
		return "<servers>\n  <server>\n    <id>github</id>\n    <username>${env.GITHUB_ACTOR}</username>\n    <password>${env.GITHUB_TOKEN}</password>\n  </server>\n</servers>\n"
	}},
	{"composer auth.json template", "auth.json.dist", func(g *gen) string {
		return "{\"http-basic\": {\"repo.example.com\": {\"username\": \"%COMPOSER_USER%\", \"password\": \"%COMPOSER_PASSWORD%\"}}}\n"
	}},
}

// sessionJWT is a token with Kustomer's audience and issuer for a person's
// session (userType "user"): not an API key.
func sessionJWT(g *gen) string {
	body := fmt.Sprintf(`{"id":"%s","user":"%s","org":"%s","orgName":"acme","userType":"user","roles":["org.user"],"aud":"urn:consumer","iss":"urn:api","sub":"%s"}`,
		g.hex(12), g.hex(12), g.hex(12), g.hex(12))
	return b64url(`{"alg":"HS256","typ":"JWT"}`) + "." + b64url(body) + "." + b64url(g.hex(16))[:43]
}

// allTraps is every trap of the corpus.
func allTraps() []trap { return append(append([]trap(nil), traps...), moreTraps...) }
