package corpus

import (
	"fmt"
	"strings"
)

var (
	maskUUID = strings.Repeat("x", 8) + "-xxxx-xxxx-xxxx-" + strings.Repeat("x", 12)
	zeroUUID = strings.Repeat("0", 8) + "-0000-0000-0000-" + strings.Repeat("0", 12)
	zeroHex  = strings.Repeat("0", 64)
)

// traps look like credentials and are not: placeholders, references to
// secrets stored elsewhere, and identifiers next to digests.
var traps = []trap{
	{"masked .env template", ".env.sample", func(g *gen) string {
		return fmt.Sprintf("CRISP_IDENTIFIER=%s\nCRISP_KEY=%s\n", maskUUID, strings.Repeat("x", 64))
	}},
	{"all-zero values", "config/test.json", func(g *gen) string {
		return fmt.Sprintf("{\"crisp\": {\"identifier\": \"%s\", \"key\": \"%s\"}}\n", zeroUUID, zeroHex)
	}},
	{"angle placeholders", "README.md", func(g *gen) string {
		return "```js\nclient.authenticateTier(\"plugin\", \"<your-token-id>\", \"<your-token-key>\");\n```\n"
	}},
	{"github actions secret references", ".github/workflows/deploy.yml", func(g *gen) string {
		return "    env:\n      CRISP_IDENTIFIER: ${{ secrets.CRISP_IDENTIFIER }}\n      CRISP_KEY: ${{ secrets.CRISP_KEY }}\n      KUSTOMER_API_KEY: ${{ secrets.KUSTOMER_API_KEY }}\n"
	}},
	{"gitlab variable references", ".gitlab-ci.yml", func(g *gen) string {
		return "deploy:\n  script:\n    - curl -u \"$CRISP_IDENTIFIER:$CRISP_KEY\" -H 'X-Crisp-Tier: plugin' https://api.crisp.chat/v1/website/$CRISP_WEBSITE_ID\n"
	}},
	{"cyclonedx sbom component", "sbom/bom.cdx.json", func(g *gen) string {
		return fmt.Sprintf("{\n  \"bomFormat\": \"CycloneDX\",\n  \"serialNumber\": \"urn:uuid:%s\",\n  \"components\": [\n    {\n      \"bom-ref\": \"%s\",\n      \"name\": \"crisp-api\",\n      \"version\": \"9.2.0\",\n      \"hashes\": [{\"alg\": \"SHA-256\", \"content\": \"%s\"}]\n    }\n  ]\n}\n", g.uuid(), g.uuid(), g.hex64())
	}},
	{"spdx package checksum", "sbom/app.spdx", func(g *gen) string {
		return fmt.Sprintf("SPDXVersion: SPDX-2.3\nDocumentNamespace: https://spdx.example.net/helpdesk-%s\nPackageName: crisp-api\nPackageChecksum: SHA256: %s\n", g.uuid(), g.hex64())
	}},
	{"curl -v response headers", "docs/debug-session.txt", func(g *gen) string {
		return fmt.Sprintf("> GET /v1/website/abc HTTP/2\n> Host: api.crisp.chat\n> X-Crisp-Tier: plugin\n< HTTP/2 401\n< x-request-id: %s\n< etag: \"%s\"\n< content-type: application/json\n{\"error\":true,\"reason\":\"invalid_session\",\"data\":{}}\n", g.uuid(), g.hex64())
	}},
	{"request ids and trace digests in logs", "logs/api.log", func(g *gen) string {
		var b strings.Builder
		for n := 0; n < 4; n++ {
			fmt.Fprintf(&b, "2024-06-0%dT10:00:00Z INFO crisp webhook request_id=%s body_sha256=%s status=200\n", n+1, g.uuid(), g.hex64())
		}
		return b.String()
	}},
	{"git shas next to uuids", "CHANGELOG.md", func(g *gen) string {
		return fmt.Sprintf("## 2.4.0 (release %s)\n\n- crisp: retry on 429 (%s)\n- crisp: website tier (%s)\n", g.uuid(), g.hex(20), g.hex(20))
	}},
	{"checksums of build artifacts", "dist/CHECKSUMS.txt", func(g *gen) string {
		return fmt.Sprintf("# build %s\n%s  helpdesk-linux-amd64.tar.gz\n%s  helpdesk-darwin-arm64.tar.gz\n", g.uuid(), g.hex64(), g.hex64())
	}},
	{"labelled test vector", "internal/hmac/testdata/vectors.txt", func(g *gen) string {
		return fmt.Sprintf("# HMAC-SHA256 test vector 3 (not a credential)\nid: %s\nexpected_mac: %s\n", g.uuid(), g.hex64())
	}},
	{"oci image index", "oci/index.json", func(g *gen) string {
		return fmt.Sprintf("{\"schemaVersion\": 2, \"manifests\": [{\"mediaType\": \"application/vnd.oci.image.manifest.v1+json\",\n \"digest\": \"sha256:%s\", \"size\": 1042,\n \"annotations\": {\"org.opencontainers.image.ref.name\": \"crisp-bridge\", \"build.id\": \"%s\"}}]}\n", g.hex64(), g.uuid())
	}},
	{"kubernetes object with checksum annotation", "k8s/deployment.yaml", func(g *gen) string {
		return fmt.Sprintf("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: crisp-bridge\n  uid: %s\nspec:\n  template:\n    metadata:\n      annotations:\n        checksum/config: %s\n", g.uuid(), g.hex64())
	}},
	{"hashed tokens in a sql dump", "db/api_tokens.sql", func(g *gen) string {
		return fmt.Sprintf("INSERT INTO api_tokens (id, provider, token_sha256) VALUES ('%s', 'crisp', '%s');\nINSERT INTO api_tokens (id, provider, token_sha256) VALUES ('%s', 'crisp', '%s');\n", g.uuid(), g.hex64(), g.uuid(), g.hex64())
	}},
	{"csv of orders with checksums", "exports/orders.csv", func(g *gen) string {
		return fmt.Sprintf("order_id,channel,payload_sha256\n%s,crisp,%s\n%s,email,%s\n", g.uuid(), g.hex64(), g.uuid(), g.hex64())
	}},
	{"crisp website id only", "web/chat.js", func(g *gen) string {
		w := g.uuid()
		return fmt.Sprintf("window.$crisp = [];\nwindow.CRISP_WEBSITE_ID = \"%s\";\n(function(){ var d = document, s = d.createElement(\"script\"); s.src = \"https://client.crisp.chat/l.js\"; d.head.appendChild(s); })();\n", w)
	}},
	{"website id next to an unrelated session secret", ".env.local", func(g *gen) string {
		return fmt.Sprintf("NEXT_PUBLIC_CRISP_WEBSITE_ID=%s\nSESSION_SECRET=%s\n", g.uuid(), g.hex64())
	}},
	{"kustomer chat customer-login jwt", "mobile/LoginSample.kt", func(g *gen) string {
		return "// a customer login JWT for the chat SDK sample, signed by your own server\nval jwt = \"" + customerJWT(g) + "\"\n"
	}},
	{"postman variables for auth", "postman/collection.json", func(g *gen) string {
		return "\"auth\": {\"type\": \"bearer\", \"bearer\": [{\"key\": \"token\", \"value\": \"{{kustomerToken}}\", \"type\": \"string\"}]},\n\"auth\": {\"type\": \"basic\", \"basic\": [{\"key\": \"username\", \"value\": \"{{crispIdentifier}}\"}, {\"key\": \"password\", \"value\": \"{{crispKey}}\"}]}\n"
	}},
	{"npmrc and yarnrc from the environment", ".npmrc", func(g *gen) string {
		return "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n//npm.internal.example.net/:_auth=${NPM_AUTH}\n"
	}},
	{"docker config with a credential store", ".docker/config.json", func(g *gen) string {
		return "{\n  \"auths\": {\"ghcr.io\": {}, \"https://index.docker.io/v1/\": {\"auth\": \"\"}},\n  \"credsStore\": \"osxkeychain\"\n}\n"
	}},
	{"netrc written from CI secrets", ".github/workflows/private-modules.yml", func(g *gen) string {
		return "      - run: echo \"machine github.com login ${{ github.actor }} password ${{ secrets.GH_PAT }}\" > ~/.netrc\n      - run: printf 'machine %s login %s password %s\\n' \"$HOST\" \"$LOGIN\" \"$PASSWORD\" >> ~/.netrc\n"
	}},
	{"jupyter output with run ids and digests", "notebooks/eval.ipynb", func(g *gen) string {
		return fmt.Sprintf("   \"outputs\": [{\"name\": \"stdout\", \"output_type\": \"stream\", \"text\": [\"run %s\\n\", \"model sha256 %s\\n\"]}],\n", g.uuid(), g.hex64())
	}},
	{"terraform state ids and hashes", "infra/terraform.tfstate", func(g *gen) string {
		return fmt.Sprintf("{\"resources\": [{\"type\": \"aws_s3_object\", \"name\": \"crisp_export\", \"instances\": [{\"attributes\": {\"id\": \"%s\", \"source_hash\": \"%s\", \"etag\": \"%s\"}}]}]}\n", g.uuid(), g.hex64(), g.hex(16))
	}},
	{"bearer placeholders in docs", "docs/api.md", func(g *gen) string {
		return "curl -H \"Authorization: Bearer <your-token>\" https://api.example.net/v1/me\ncurl -H \"Authorization: Bearer $KUSTOMER_API_KEY\" https://acme.api.kustomerapp.com/v1/users/current\n"
	}},
}

// customerJWT is an HS256 chat login JWT ({email, iat}): not a Kustomer API
// key.
func customerJWT(g *gen) string {
	hdr := b64url(`{"alg":"HS256","typ":"JWT"}`)
	body := b64url(fmt.Sprintf(`{"email":"someone@example.net","iat":%d}`, 1700000000+g.r.IntN(1e6)))
	return hdr + "." + body + "." + b64url(g.hex(16))[:43]
}
