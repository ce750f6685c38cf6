package corpus

import "fmt"

// moreForms are harder shapes: several pairs in one structure, fallbacks in
// code, one-line commands, service and tool configuration.
var moreForms = []form{
	{"yaml list of workspace tokens", "config/workspaces.yaml", func(g *gen) (string, []plant) {
		i1, k1, i2, k2 := g.uuid(), g.hex64(), g.uuid(), g.hex64()
		return fmt.Sprintf("crisp:\n  tokens:\n    - name: eu\n      id: %s\n      key: %s\n    - name: us\n      id: %s\n      key: %s\n", i1, k1, i2, k2), []plant{pair(i1, k1), pair(i2, k2)}
	}},
	{"json array of token pairs", "config/tokens.json", func(g *gen) (string, []plant) {
		i1, k1, i2, k2 := g.uuid(), g.hex64(), g.uuid(), g.hex64()
		return fmt.Sprintf("{\"crisp_tokens\": [\n  {\"identifier\": \"%s\", \"key\": \"%s\"},\n  {\"identifier\": \"%s\", \"key\": \"%s\"}\n]}\n", i1, k1, i2, k2), []plant{pair(i1, k1), pair(i2, k2)}
	}},
	{"node env fallback literals", "server/config.js", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("module.exports = {\n  crisp: {\n    identifier: process.env.CRISP_IDENTIFIER || '%s',\n    key: process.env.CRISP_KEY || '%s',\n  },\n};\n", i, k), []plant{pair(i, k)}
	}},
	{"docker run -e flags", "scripts/run-local.sh", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("docker run --rm -p 8080:8080 -e CRISP_IDENTIFIER=%s -e CRISP_KEY=%s acme/helpdesk:latest\n", i, k), []plant{pair(i, k)}
	}},
	{"systemd unit environment", "deploy/helpdesk.service", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("[Unit]\nDescription=helpdesk bridge\n\n[Service]\nEnvironment=\"CRISP_IDENTIFIER=%s\"\nEnvironment=\"CRISP_KEY=%s\"\nExecStart=/usr/local/bin/helpdesk\n", i, k), []plant{pair(i, k)}
	}},
	{"toml config table", "helpdesk.toml", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("[server]\nlisten = \"0.0.0.0:8080\"\n\n[crisp]\ntoken_id = \"%s\"\ntoken_key = \"%s\"\ntier = \"plugin\"\n", i, k), []plant{pair(i, k)}
	}},
	{"go struct literal", "cmd/bridge/main.go", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("package main\n\nvar cfg = Config{\n\tCrispIdentifier: \"%s\",\n\tCrispKey:        \"%s\",\n\tListen:          \":8080\",\n}\n", i, k), []plant{pair(i, k)}
	}},
	{"csharp constructor", "src/Helpdesk/CrispService.cs", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("public sealed class CrispService\n{\n    private readonly CrispClient _client = new CrispClient(\"%s\", \"%s\", tier: \"plugin\");\n}\n", i, k), []plant{pair(i, k)}
	}},
	{"powershell env assignments", "scripts/dev.ps1", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("$env:CRISP_IDENTIFIER = \"%s\"\n$env:CRISP_KEY = \"%s\"\nnpm run dev\n", i, k), []plant{pair(i, k)}
	}},
	{"ansible group vars", "ansible/group_vars/helpdesk.yml", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("---\nhelpdesk_port: 8080\ncrisp_token_identifier: \"%s\"\ncrisp_token_key: \"%s\"\n", i, k), []plant{pair(i, k)}
	}},
	{"vscode rest client variables", "requests/crisp.http", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("@tokenId = %s\n@tokenKey = %s\n\n### website\nGET https://api.crisp.chat/v1/website/{{websiteId}}\nAuthorization: Basic {{tokenId}}:{{tokenKey}}\nX-Crisp-Tier: plugin\n", i, k), []plant{pair(i, k)}
	}},
	{"pre-encoded basic token in env", ".env.staging", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		v := b64(i, ":", k)
		return fmt.Sprintf("CRISP_API_URL=https://api.crisp.chat/v1/website/%s\nCRISP_API_KEY=%s\n", g.uuid(), v), []plant{pair(i, k).atText(v)}
	}},
	{"nginx proxy basic header", "nginx/conf.d/crisp-proxy.conf", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		v := b64(i, ":", k)
		return fmt.Sprintf("location /crisp/ {\n    proxy_pass https://api.crisp.chat/v1/;\n    proxy_set_header Authorization \"Basic %s\";\n    proxy_set_header X-Crisp-Tier plugin;\n}\n", v), []plant{pair(i, k).atText(v)}
	}},
	{"vault kv json dump", "ops/vault-export.json", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("{\"request_id\": \"%s\", \"lease_id\": \"\", \"data\": {\"data\": {\"crisp_identifier\": \"%s\", \"crisp_key\": \"%s\"}, \"metadata\": {\"version\": 3}}}\n", g.uuid(), i, k), []plant{pair(i, k)}
	}},
	{"kustomer chat key in web snippet", "web/kustomer-chat.js", func(g *gen) (string, []plant) {
		t := g.kustomer("org.tracking")
		return fmt.Sprintf("Kustomer.start({\n  brandId: '%s',\n  apiKey: '%s',\n});\n", g.hex(12), t), []plant{kjwt(t)}
	}},
	{"kustomer postman environment", "postman/kustomer.postman_environment.json", func(g *gen) (string, []plant) {
		t := g.kustomer()
		return fmt.Sprintf("{\"name\": \"kustomer\", \"values\": [{\"key\": \"baseUrl\", \"value\": \"https://acme.api.kustomerapp.com\"}, {\"key\": \"apiKey\", \"value\": \"%s\", \"type\": \"secret\"}]}\n", t), []plant{kjwt(t)}
	}},
	{"kustomer cookie header in a HAR", "har/kustomer-app.har", func(g *gen) (string, []plant) {
		t := g.kustomer()
		return fmt.Sprintf("{\"name\": \"cookie\", \"value\": \"_csrf=%s; x-kustomer-auth-token=%s\"}\n", g.token(24), t), []plant{kjwt(t)}
	}},
	{"composer-style basic auth in a bearer-free curl", "scripts/mirror.sh", func(g *gen) (string, []plant) {
		u, p := g.user(), g.token(30)
		v := b64(u, ":", p)
		return fmt.Sprintf("curl -fsS -H \"Authorization: Basic %s\" https://artifacts.example.net/api/storage/libs\n", v), []plant{userPass(u, p).atText(v)}
	}},
	{"podman auth.json", "containers/auth.json", func(g *gen) (string, []plant) {
		u, p := g.user(), g.token(26)
		v := b64(u, ":", p)
		return fmt.Sprintf("{\n  \"auths\": {\n    \"quay.io\": {\n      \"auth\": \"%s\"\n    }\n  }\n}\n", v), []plant{userPass(u, p).atText(v)}
	}},
	{"netrc one line with account", "ops/netrc", func(g *gen) (string, []plant) {
		u, p := g.user(), g.token(18)
		return fmt.Sprintf("machine backup.example.net login %s account ops password %s\n", u, p), []plant{userPass(u, p)}
	}},
	{"npmrc username and _password", "packages/web/.npmrc", func(g *gen) (string, []plant) {
		u, p := g.user(), g.token(22)
		v := b64(p)
		return fmt.Sprintf("registry=https://nexus.example.net/repository/npm-all/\n//nexus.example.net/repository/npm-all/:username=%s\n//nexus.example.net/repository/npm-all/:_password=%s\n//nexus.example.net/repository/npm-all/:always-auth=true\n", u, v), []plant{userPass(u, p).atText(v)}
	}},
	{"composer auth.json", "auth.json", func(g *gen) (string, []plant) {
		u, p := g.user(), g.token(32)
		return fmt.Sprintf("{\n    \"http-basic\": {\n        \"satis.example.net\": {\n            \"username\": \"%s\",\n            \"password\": \"%s\"\n        }\n    }\n}\n", u, p), []plant{userPass(u, p)}
	}},
	{"maven settings.xml", ".mvn/settings.xml", func(g *gen) (string, []plant) {
		u, p := g.user(), g.token(20)
		return fmt.Sprintf("<settings>\n  <servers>\n    <server>\n      <id>nexus-releases</id>\n      <username>%s</username>\n      <password>%s</password>\n    </server>\n  </servers>\n</settings>\n", u, p), []plant{userPass(u, p)}
	}},
}
