package corpus

import "fmt"

// crispForms are Crisp token pairs as people write them outside the
// official clients' README shapes.
var crispForms = []form{
	{"python snake_case website tier", "bots/support.py", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("from crisp_api import Crisp\n\nclient = Crisp()\nclient.authenticate_tier(\"website\", \"%s\", \"%s\")\n", i, k), []plant{pair(i, k)}
	}},
	{"node website tier, single quotes", "src/crisp-client.mjs", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("import Crisp from 'crisp-api';\n\nexport const crisp = new Crisp();\ncrisp.authenticateTier('website', '%s', '%s');\n", i, k), []plant{pair(i, k)}
	}},
	{"ini section, far apart", "conf/integrations.ini", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("[crisp]\nidentifier = %s\n; the website the plugin acts on\nwebsite = main\nretries = 3\ntimeout_ms = 4000\nbackoff = exponential\nlog_level = info\nqueue = support-events\nbatch = 50\nregion = eu\nkey = %s\n\n[smtp]\nhost = mail.internal\n", i, k), []plant{pair(i, k)}
	}},
	{"docker-compose environment list", "docker-compose.override.yml", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("services:\n  helpdesk:\n    image: acme/helpdesk:2.3\n    environment:\n      - NODE_ENV=production\n      - CRISP_TOKEN_ID=%s\n      - CRISP_TOKEN_KEY=%s\n    ports:\n      - \"8080:8080\"\n", i, k), []plant{pair(i, k)}
	}},
	{"kubernetes secret stringData", "k8s/crisp-secret.yaml", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("apiVersion: v1\nkind: Secret\nmetadata:\n  name: crisp-plugin\n  namespace: support\ntype: Opaque\nstringData:\n  CRISP_PLUGIN_IDENTIFIER: \"%s\"\n  CRISP_PLUGIN_KEY: \"%s\"\n", i, k), []plant{pair(i, k)}
	}},
	{"terraform tfvars", "infra/prod.auto.tfvars", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("region            = \"eu-west-1\"\ncrisp_token_id    = \"%s\"\ncrisp_token_key   = \"%s\"\nalert_email       = \"ops@example.net\"\n", i, k), []plant{pair(i, k)}
	}},
	{"helm values nested", "charts/support/values-prod.yaml", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("replicaCount: 2\ncrisp:\n  enabled: true\n  pluginToken:\n    identifier: %s\n    key: %s\nresources:\n  limits:\n    memory: 256Mi\n", i, k), []plant{pair(i, k)}
	}},
	{"github actions job env", ".github/workflows/sync.yml", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("name: sync\non:\n  schedule:\n    - cron: \"0 3 * * *\"\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    env:\n      CRISP_IDENTIFIER: %s\n      CRISP_KEY: %s\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && node scripts/sync.js\n", i, k), []plant{pair(i, k)}
	}},
	{"gitlab ci variables", ".gitlab-ci.yml", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("variables:\n  CRISP_TOKEN_IDENTIFIER: \"%s\"\n  CRISP_TOKEN_KEY: \"%s\"\n\nexport:\n  stage: deploy\n  script:\n    - python export_conversations.py\n", i, k), []plant{pair(i, k)}
	}},
	{"Jenkinsfile environment block", "Jenkinsfile", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("pipeline {\n  agent any\n  environment {\n    CRISP_ID  = '%s'\n    CRISP_KEY = '%s'\n  }\n  stages {\n    stage('notify') { steps { sh './notify.sh' } }\n  }\n}\n", i, k), []plant{pair(i, k)}
	}},
	{"postman environment export", "postman/crisp.postman_environment.json", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("{\n  \"id\": \"%s\",\n  \"name\": \"Crisp prod\",\n  \"values\": [\n    {\"key\": \"crisp_identifier\", \"value\": \"%s\", \"type\": \"default\", \"enabled\": true},\n    {\"key\": \"crisp_key\", \"value\": \"%s\", \"type\": \"secret\", \"enabled\": true},\n    {\"key\": \"tier\", \"value\": \"plugin\", \"type\": \"default\", \"enabled\": true}\n  ],\n  \"_postman_variable_scope\": \"environment\"\n}\n", g.uuid(), i, k), []plant{pair(i, k)}
	}},
	{"insomnia basic authentication", "insomnia/export.json", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("{\"_type\": \"request\", \"name\": \"List conversations\", \"method\": \"GET\",\n \"url\": \"https://api.crisp.chat/v1/website/{{ _.website_id }}/conversations/1\",\n \"authentication\": {\"type\": \"basic\", \"username\": \"%s\", \"password\": \"%s\"},\n \"headers\": [{\"name\": \"X-Crisp-Tier\", \"value\": \"plugin\"}]}\n", i, k), []plant{pair(i, k)}
	}},
	{"bruno request file", "bruno/crisp/get-website.bru", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("meta {\n  name: get website\n  type: http\n}\n\nget {\n  url: https://api.crisp.chat/v1/website/{{websiteId}}\n  auth: basic\n}\n\nauth:basic {\n  username: %s\n  password: %s\n}\n\nheaders {\n  X-Crisp-Tier: plugin\n}\n", i, k), []plant{pair(i, k)}
	}},
	{"httpie -a", "docs/runbook.md", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("## Check the token\n\n```\nhttp -a %s:%s GET https://api.crisp.chat/v1/plugin/connect/account X-Crisp-Tier:plugin\n```\n", i, k), []plant{pair(i, k)}
	}},
	{"wget --user --password", "scripts/backup.sh", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("#!/bin/sh\nset -eu\nwget -q --header='X-Crisp-Tier: plugin' --user=%s --password=%s \\\n  -O conversations.json https://api.crisp.chat/v1/website/$WEBSITE/conversations/1\n", i, k), []plant{pair(i, k)}
	}},
	{"python requests auth tuple", "tools/crisp_export.py", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("import requests\n\nAUTH = (\"%s\", \"%s\")\n\ndef website(wid):\n    r = requests.get(f\"https://api.crisp.chat/v1/website/{wid}\", auth=AUTH, headers={\"X-Crisp-Tier\": \"plugin\"})\n    return r.json()[\"data\"]\n", i, k), []plant{pair(i, k)}
	}},
	{"java properties", "src/main/resources/application-prod.properties", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("server.port=8081\ncrisp.api.tier=plugin\ncrisp.api.token-identifier=%s\ncrisp.api.token-key=%s\nspring.jpa.open-in-view=false\n", i, k), []plant{pair(i, k)}
	}},
	{"spring application.yml", "src/main/resources/application.yml", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("spring:\n  application:\n    name: helpdesk-bridge\ncrisp:\n  api:\n    identifier: %s\n    key: %s\n    tier: plugin\n", i, k), []plant{pair(i, k)}
	}},
	{".NET appsettings.json", "src/Helpdesk/appsettings.Production.json", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("{\n  \"Logging\": { \"LogLevel\": { \"Default\": \"Warning\" } },\n  \"Crisp\": {\n    \"TokenIdentifier\": \"%s\",\n    \"TokenKey\": \"%s\",\n    \"Tier\": \"plugin\"\n  }\n}\n", i, k), []plant{pair(i, k)}
	}},
	{"rails credentials yaml", "config/credentials/production.yml", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("secret_key_base: <%%= ENV[\"SECRET_KEY_BASE\"] %%>\ncrisp:\n  identifier: %s\n  key: %s\n", i, k), []plant{pair(i, k)}
	}},
	{"laravel config env defaults", "config/services.php", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("<?php\n\nreturn [\n    'crisp' => [\n        'identifier' => env('CRISP_IDENTIFIER', '%s'),\n        'key' => env('CRISP_KEY', '%s'),\n    ],\n];\n", i, k), []plant{pair(i, k)}
	}},
	{"swift constants", "App/Support/CrispConfig.swift", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("enum CrispConfig {\n    static let tokenIdentifier = \"%s\"\n    static let tokenKey = \"%s\"\n}\n", i, k), []plant{pair(i, k)}
	}},
	{"kotlin const vals", "app/src/main/java/net/acme/support/Crisp.kt", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("package net.acme.support\n\nobject Crisp {\n    const val IDENTIFIER = \"%s\"\n    const val KEY = \"%s\"\n}\n", i, k), []plant{pair(i, k)}
	}},
	{"rust consts", "src/crisp.rs", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("pub const CRISP_IDENTIFIER: &str = \"%s\";\npub const CRISP_KEY: &str = \"%s\";\n", i, k), []plant{pair(i, k)}
	}},
	{"elixir config keyword list", "config/prod.exs", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("import Config\n\nconfig :helpdesk, :crisp,\n  identifier: \"%s\",\n  key: \"%s\",\n  tier: \"plugin\"\n", i, k), []plant{pair(i, k)}
	}},
	{"jupyter cell source", "notebooks/churn.ipynb", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"execution_count\": 3,\n   \"metadata\": {},\n   \"outputs\": [],\n   \"source\": [\n    \"from crisp_api import Crisp\\n\",\n    \"client = Crisp()\\n\",\n    \"client.set_tier(\\\"plugin\\\")\\n\",\n    \"client.authenticate(\\\"%s\\\", \\\"%s\\\")\\n\"\n   ]\n  }\n ]\n}\n", i, k), []plant{pair(i, k)}
	}},
	{"sql dump insert", "db/seed/integrations.sql", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("-- Dumped from database version 15.4\nINSERT INTO public.integrations (id, provider, token_identifier, token_key, created_at) VALUES (42, 'crisp', '%s', '%s', '2024-02-01 10:00:00');\n", i, k), []plant{pair(i, k)}
	}},
	{"csv export", "exports/integrations.csv", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("provider,account,identifier,key,enabled\nzendesk,acme,,,false\ncrisp,acme,%s,%s,true\n", i, k), []plant{pair(i, k)}
	}},
	{"log line with both", "logs/worker.log", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("2024-05-02T09:14:11Z INFO starting worker pid=4121\n2024-05-02T09:14:11Z DEBUG crisp client configured tier=plugin identifier=%s key=%s\n2024-05-02T09:14:12Z INFO ready\n", i, k), []plant{pair(i, k)}
	}},
	{"php setTier then authenticate", "app/Support/CrispFactory.php", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("<?php\n$crisp = new \\Crisp\\CrispClient();\n$crisp->setTier(\"plugin\");\n$crisp->authenticate(\"%s\", \"%s\");\n", i, k), []plant{pair(i, k)}
	}},
	{"go AuthenticateTier website", "internal/helpdesk/client.go", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("package helpdesk\n\nfunc client() *crisp.Client {\n\tc := crisp.New()\n\tc.AuthenticateTier(\"website\", \"%s\", \"%s\")\n\treturn c\n}\n", i, k), []plant{pair(i, k)}
	}},
	{"shell exports far apart", "scripts/env.sh", func(g *gen) (string, []plant) {
		i, k := g.uuid(), g.hex64()
		return fmt.Sprintf("#!/usr/bin/env bash\n# Crisp\nexport CRISP_IDENTIFIER=\"%s\"\n# database\nexport PGHOST=db.internal\nexport PGPORT=5432\nexport PGUSER=app\nexport PGDATABASE=helpdesk\n# queues\nexport AMQP_URL=amqp://rabbit.internal\nexport QUEUE=events\n# Crisp, continued\nexport CRISP_KEY=\"%s\"\n", i, k), []plant{pair(i, k)}
	}},
}
