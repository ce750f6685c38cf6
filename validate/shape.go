package validate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"strings"
)

// Live and invalid both need a provider-shaped answer: a captive portal, a
// proxy or a firewall answering 200 (or 401) with its own page proves
// nothing about the credential, so such answers are Unknown, with a detail
// saying what was wrong with them.

// notJSON says why an answer is not JSON: a Content-Type that names another
// media type (neither provider documents its Content-Type, so a missing one
// is let through to the body check), or a body that does not parse.
func notJSON(a answer, provider string) string {
	if ct := a.header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return fmt.Sprintf("HTTP %d with Content-Type %q, not %s's JSON (a captive portal or proxy?)", a.status, clip(ct), provider)
		}
	}
	if !json.Valid(a.body) {
		return fmt.Sprintf("HTTP %d whose body is not JSON, not %s's answer (a captive portal or proxy?)", a.status, provider)
	}
	return ""
}

// crispEnvelope is Crisp's {"error": bool, "reason": string, "data": …}.
type crispEnvelope struct {
	Error  bool
	Reason string
	Data   json.RawMessage // object or array on success; may be absent on errors
}

// readCrisp reads Crisp's envelope, or says why the answer is not one.
func readCrisp(a answer) (crispEnvelope, string) {
	if why := notJSON(a, "Crisp"); why != "" {
		return crispEnvelope{}, why
	}
	var raw struct {
		Error  *bool           `json:"error"`
		Reason *string         `json:"reason"`
		Data   json.RawMessage `json:"data"`
	}
	if json.Unmarshal(a.body, &raw) != nil || raw.Error == nil || raw.Reason == nil {
		return crispEnvelope{}, fmt.Sprintf("HTTP %d without Crisp's JSON envelope (error, reason, data)", a.status)
	}
	env := crispEnvelope{Error: *raw.Error, Reason: *raw.Reason, Data: raw.Data}
	if !env.Error && jsonKind(env.Data) == 0 {
		return env, fmt.Sprintf("HTTP %d with Crisp's envelope but no data object", a.status)
	}
	return env, ""
}

// jsonKind is the first byte of a JSON object or array ('{' or '['), or 0.
func jsonKind(raw json.RawMessage) byte {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && (raw[0] == '{' || raw[0] == '[') {
		return raw[0]
	}
	return 0
}

// crispOK reports whether a 200 is Crisp's success envelope around an
// object, with a reason for when it is not.
func crispOK(a answer) (crispEnvelope, string) {
	env, why := readCrisp(a)
	switch {
	case why != "":
		return env, why
	case env.Error:
		return env, fmt.Sprintf("HTTP %d with Crisp's envelope saying error (%s)", a.status, clip(env.Reason))
	case jsonKind(env.Data) != '{':
		return env, fmt.Sprintf("HTTP %d with Crisp's envelope around a %s, not the documented object", a.status, kindName(env.Data))
	}
	return env, ""
}

// crispError reports whether an error status carries Crisp's error envelope
// with the given reason.
func crispError(a answer, reason string) bool {
	env, why := readCrisp(a)
	return why == "" && env.Error && env.Reason == reason
}

func kindName(raw json.RawMessage) string {
	switch jsonKind(raw) {
	case '[':
		return "list"
	case '{':
		return "object"
	}
	return "non-object"
}

// clip bounds a provider-chosen string put into a detail and replaces its
// control and non-ASCII bytes, so an answer cannot write to a terminal.
func clip(s string) string {
	const n = 60
	b := []byte(s[:min(len(s), n)])
	for i, c := range b {
		if c < 0x20 || c >= 0x7f {
			b[i] = '?'
		}
	}
	if len(s) > n {
		return string(b) + "..."
	}
	return string(b)
}
