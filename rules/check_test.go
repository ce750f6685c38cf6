package rules

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestCheckNeedsALiteralHost(t *testing.T) {
	bad := []string{
		"{{.host}}/me",
		"https://{{.host}}/me",
		"https://api.example.com{{.path}}",
		"https://api.example.com.{{.tld}}/me",
		"ftp://api.example.com/me",
		"/relative/only",
	}
	for _, u := range bad {
		c := &Check{URL: u, Live: []int{200}}
		if err := c.compile(); err == nil {
			t.Errorf("url %q accepted; its host is not fixed by the rule", u)
		}
	}
	for _, u := range []string{"https://api.example.com/v1/me", "https://api.example.com/v1/keys/{{.token}}", "http://127.0.0.1:8080/?k={{.token}}"} {
		c := &Check{URL: u, Live: []int{200}}
		if err := c.compile(); err != nil {
			t.Errorf("url %q: %v", u, err)
		}
	}
}

func TestCheckRejectsBadMethodsAndMissingStatuses(t *testing.T) {
	for _, c := range []*Check{
		{Method: "DELETE", URL: "https://api.example.com/", Live: []int{200}},
		{URL: "https://api.example.com/"},
		{URL: "https://api.example.com/", Live: []int{200}, Headers: map[string]string{"X": "{{.unclosed"}},
	} {
		if err := c.compile(); err == nil {
			t.Errorf("check %+v accepted", c)
		}
	}
}

func TestCheckRequestBuildsFromParts(t *testing.T) {
	set, err := ParseConfig("test.toml", []byte(`
[[rules]]
id = "inhouse"
description = "in-house key"
regex = 'IH_(?P<user>[a-z0-9]{8}):(?P<password>[a-z0-9]{16})'
parts = ["user", "password"]
keywords = ["ih_"]
[rules.check]
url = "https://api.example.com/v1/whoami?u={{.user}}"
headers = { Authorization = "Basic {{b64 .user \":\" .password}}" }
live = [200]
invalid = [401, 403]
`), Untrusted())
	if err != nil {
		t.Fatal(err)
	}
	r := set.Rule("inhouse")
	if r == nil || r.Check == nil || !r.Untrusted {
		t.Fatalf("rule %+v: want a check, marked untrusted", r)
	}
	u, hs, err := r.Check.Request(map[string]string{"user": "abcd1234", "password": "0123456789abcdef"})
	if err != nil {
		t.Fatal(err)
	}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("abcd1234:0123456789abcdef"))
	if u != "https://api.example.com/v1/whoami?u=abcd1234" || hs["Authorization"] != want || r.Check.Host() != "api.example.com" {
		t.Errorf("request %s %v host %s", u, hs, r.Check.Host())
	}
	if _, _, err := r.Check.Request(map[string]string{"user": "x"}); err == nil || strings.Contains(err.Error(), "abcd") {
		t.Errorf("a missing part gave %v, want an error", err)
	}
}
