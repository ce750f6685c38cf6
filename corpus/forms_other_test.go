package corpus

import "fmt"

// kustomerForms are Kustomer API keys where integrations keep them.
var kustomerForms = []form{
	{"kustomer node axios instance", "src/kustomer.ts", func(g *gen) (string, []plant) {
		t := g.kustomer()
		return fmt.Sprintf("import axios from 'axios';\n\nexport const kustomer = axios.create({\n  baseURL: 'https://acme.api.kustomerapp.com/v1',\n  headers: { Authorization: `Bearer %s` },\n});\n", t), []plant{kjwt(t)}
	}},
	{"kustomer terraform variable default", "infra/variables.tf", func(g *gen) (string, []plant) {
		t := g.kustomer()
		return fmt.Sprintf("variable \"kustomer_api_key\" {\n  type      = string\n  sensitive = true\n  default   = \"%s\"\n}\n", t), []plant{kjwt(t)}
	}},
	{"kustomer github actions env", ".github/workflows/kustomer-export.yml", func(g *gen) (string, []plant) {
		t := g.kustomerExpiring()
		return fmt.Sprintf("jobs:\n  export:\n    runs-on: ubuntu-latest\n    env:\n      KUSTOMER_API_TOKEN: %s\n    steps:\n      - run: python export.py\n", t), []plant{kjwt(t)}
	}},
	{"kustomer curl in a runbook", "docs/kustomer.md", func(g *gen) (string, []plant) {
		t := g.kustomer()
		return fmt.Sprintf("Who am I:\n\n    curl -s https://acme.api.kustomerapp.com/v1/auth/tokens/current \\\n      -H 'Authorization: Bearer %s' | jq .\n", t), []plant{kjwt(t)}
	}},
	{"kustomer singer tap config", "taps/kustomer/config.json", func(g *gen) (string, []plant) {
		t := g.kustomer("org.permission.customer.read")
		return fmt.Sprintf("{\n  \"api_token\": \"%s\",\n  \"start_date\": \"2024-01-01T00:00:00Z\",\n  \"user_agent\": \"tap-kustomer ops@example.net\"\n}\n", t), []plant{kjwt(t)}
	}},
	{"kustomer helm values", "charts/crm-sync/values.yaml", func(g *gen) (string, []plant) {
		t := g.kustomer()
		return fmt.Sprintf("crmSync:\n  kustomer:\n    org: acme\n    apiKey: %s\n", t), []plant{kjwt(t)}
	}},
	{"kustomer python settings dict", "crm/settings.py", func(g *gen) (string, []plant) {
		t := g.kustomer()
		return fmt.Sprintf("INTEGRATIONS = {\n    \"kustomer\": {\n        \"base_url\": \"https://api.kustomerapp.com/v1\",\n        \"token\": \"%s\",\n    },\n}\n", t), []plant{kjwt(t)}
	}},
	{"kustomer sql dump", "db/dump.sql", func(g *gen) (string, []plant) {
		t := g.kustomer()
		return fmt.Sprintf("COPY public.settings (key, value) FROM stdin;\nkustomer_api_key\t%s\nsupport_email\tsupport@example.net\n\\.\n", t), []plant{kjwt(t)}
	}},
}

// genericForms are registry and HTTP credentials under the generic rules.
var genericForms = []form{
	{"npmrc _auth", ".npmrc", func(g *gen) (string, []plant) {
		u, p := g.user(), g.token(24)
		v := b64(u, ":", p)
		return fmt.Sprintf("registry=https://npm.internal.example.net/\n//npm.internal.example.net/:_auth=%s\nalways-auth=true\n", v), []plant{userPass(u, p).atText(v)}
	}},
	{"npmrc _authToken github packages", "frontend/.npmrc", func(g *gen) (string, []plant) {
		t := "ghp_" + g.token(36)
		return fmt.Sprintf("@acme:registry=https://npm.pkg.github.com\n//npm.pkg.github.com/:_authToken=%s\n", t), []plant{bearerTok(t)}
	}},
	{"npmrc legacy uuid token", "tools/.npmrc", func(g *gen) (string, []plant) {
		t := g.uuid()
		return fmt.Sprintf("//registry.npmjs.org/:_authToken=%s\n", t), []plant{bearerTok(t)}
	}},
	{"docker config.json", "ci/docker/config.json", func(g *gen) (string, []plant) {
		u, p := g.user(), g.token(32)
		v := b64(u, ":", p)
		return fmt.Sprintf("{\n\t\"auths\": {\n\t\t\"registry.gitlab.example.com\": {\n\t\t\t\"auth\": \"%s\"\n\t\t}\n\t}\n}\n", v), []plant{userPass(u, p).atText(v)}
	}},
	{"netrc several lines", "home/.netrc", func(g *gen) (string, []plant) {
		u, p := g.user(), g.token(20)
		return fmt.Sprintf("machine artifacts.example.net\n    login %s\n    password %s\n", u, p), []plant{userPass(u, p)}
	}},
	{"netrc from a CI script", "ci/setup-go.sh", func(g *gen) (string, []plant) {
		t := "ghp_" + g.token(36)
		return fmt.Sprintf("#!/bin/sh\ncat > ~/.netrc <<EOF\nmachine github.com login %s password x-oauth-basic\nEOF\ngo mod download\n", t), []plant{userPass(t, "x-oauth-basic")}
	}},
	{"yarnrc npmAuthToken", ".yarnrc.yml", func(g *gen) (string, []plant) {
		t := "npm_" + g.token(36)
		return fmt.Sprintf("nodeLinker: node-modules\nnpmScopes:\n  acme:\n    npmRegistryServer: \"https://registry.npmjs.org\"\n    npmAuthToken: \"%s\"\n", t), []plant{bearerTok(t)}
	}},
	{"har bearer header", "har/checkout.har", func(g *gen) (string, []plant) {
		t := g.token(48)
		return fmt.Sprintf("{\"log\": {\"entries\": [{\"request\": {\"method\": \"GET\", \"url\": \"https://api.example.net/v2/cart\",\n  \"headers\": [\n    {\"name\": \"accept\", \"value\": \"application/json\"},\n    {\"name\": \"authorization\", \"value\": \"Bearer %s\"}\n  ]}}]}}\n", t), []plant{bearerTok(t)}
	}},
	{"kubernetes dockerconfigjson stringData", "k8s/pull-secret.yaml", func(g *gen) (string, []plant) {
		u, p := g.user(), g.token(28)
		v := b64(u, ":", p)
		return fmt.Sprintf("apiVersion: v1\nkind: Secret\ntype: kubernetes.io/dockerconfigjson\nmetadata:\n  name: regcred\nstringData:\n  .dockerconfigjson: '{\"auths\":{\"ghcr.io\":{\"auth\":\"%s\"}}}'\n", v), []plant{userPass(u, p).atText(v)}
	}},
}

// allForms is every credential form of the corpus.
func allForms() []form {
	return append(append(append(append([]form(nil), crispForms...), kustomerForms...), genericForms...), moreForms...)
}
