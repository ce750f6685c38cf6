package remediate

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/scanner-dev/scanner/ghapi"
)

// Config is the user's remediation configuration (--remediate-config). It
// is never read from the scanned repository: exec hooks from there would
// run a pull request's code.
type Config struct {
	EscalateAfter Duration    `toml:"escalate_after"` // still live this long after opening: escalate
	Labels        []string    `toml:"labels"`         // labels of the GitHub issue
	Exec          []ExecHook  `toml:"exec"`           // rotation hooks run as commands
	Webhook       []Webhook   `toml:"webhook"`        // rotation hooks and alert channels over HTTP
	Slack         SlackConfig `toml:"slack"`          // a Slack incoming webhook
}

// Duration is a time.Duration read from a TOML string such as "24h".
type Duration struct{ time.Duration }

// UnmarshalText parses the duration.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	d.Duration = v
	return err
}

// ExecHook runs a command with the event as JSON on stdin.
type ExecHook struct {
	Name          string   `toml:"name"`
	Command       []string `toml:"command"`
	IncludeSecret bool     `toml:"include_secret"` // add the raw credential to the JSON
	Providers     []string `toml:"providers"`      // only these providers (default: all)
}

// Webhook POSTs the event as JSON, signed with HMAC-SHA256 over the body.
type Webhook struct {
	Name      string   `toml:"name"`
	URL       string   `toml:"url"`
	SecretEnv string   `toml:"secret_env"` // environment variable holding the HMAC key
	Header    string   `toml:"header"`     // default X-Scanner-Signature
	Events    []string `toml:"events"`     // rotate, alert, escalate, revoked (default: all)
}

// SlackConfig is a Slack incoming webhook.
type SlackConfig struct {
	WebhookURL    string `toml:"webhook_url"`
	WebhookURLEnv string `toml:"webhook_url_env"`
}

// LoadConfig reads the configuration file at path.
func LoadConfig(path string) (*Config, error) {
	var c Config
	md, err := toml.DecodeFile(path, &c)
	if err != nil {
		return nil, fmt.Errorf("remediation config %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("remediation config %s: unknown key %s", path, und[0])
	}
	for i, h := range c.Exec {
		if len(h.Command) == 0 {
			return nil, fmt.Errorf("remediation config %s: exec hook %d has no command", path, i+1)
		}
	}
	for i, w := range c.Webhook {
		if w.URL == "" {
			return nil, fmt.Errorf("remediation config %s: webhook %d has no url", path, i+1)
		}
	}
	return &c, nil
}

func (h ExecHook) label() string {
	if h.Name != "" {
		return "exec " + h.Name
	}
	return "exec " + h.Command[0]
}

func (h ExecHook) applies(provider string) bool {
	if len(h.Providers) == 0 {
		return true
	}
	for _, p := range h.Providers {
		if p == provider {
			return true
		}
	}
	return false
}

func (w Webhook) label() string {
	if w.Name != "" {
		return "webhook " + w.Name
	}
	return "webhook " + w.URL
}

func (w Webhook) wants(event string) bool {
	if len(w.Events) == 0 {
		return true
	}
	for _, e := range w.Events {
		if e == event {
			return true
		}
	}
	return false
}

// runExec runs the hook with payload on stdin; its output goes nowhere.
func runExec(ctx context.Context, h ExecHook, payload []byte) error {
	cmd := exec.CommandContext(ctx, h.Command[0], h.Command[1:]...)
	cmd.Stdin = bytes.NewReader(payload)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %w (%d bytes of output)", h.label(), err, len(out))
	}
	return nil
}

// Sign returns the signature header value of body: "sha256=" and the hex
// HMAC-SHA256 of the body under key.
func Sign(key, body []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// maxHookWait bounds one wait a webhook or Slack asks for with Retry-After.
const maxHookWait = time.Minute

// poster sends JSON with retries and backoff.
type poster struct {
	http    *http.Client
	retries int
	backoff time.Duration // first wait; doubles each retry
}

// post POSTs body to url with the extra headers, retrying network errors,
// 429 and 5xx answers with exponential backoff, or after the Retry-After
// the receiver gives (read by ghapi.RetryAfter, the one reader of it).
func (p poster) post(ctx context.Context, url string, body []byte, headers map[string]string) error {
	wait := p.backoff
	var last error
	for attempt := 0; attempt <= p.retries; attempt++ {
		if attempt > 0 {
			if err := ghapi.Sleep(ctx, wait); err != nil {
				return err
			}
			wait *= 2
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		resp, err := p.http.Do(req)
		if err != nil {
			last = err
			continue
		}
		resp.Body.Close()
		if resp.StatusCode/100 == 2 {
			return nil
		}
		last = fmt.Errorf("status %d", resp.StatusCode)
		if resp.StatusCode != 429 && resp.StatusCode < 500 {
			return last
		}
		if d, ok := ghapi.RetryAfter(resp.Header, time.Now()); ok && d > wait {
			wait = min(d, maxHookWait) // the receiver named its wait (Slack does on 429)
		}
	}
	return fmt.Errorf("after %d attempts: %w", p.retries+1, last)
}

// sendWebhook posts an event to a configured webhook, signed when it has a key.
func (p poster) sendWebhook(ctx context.Context, w Webhook, payload []byte) error {
	headers := map[string]string{}
	if w.SecretEnv != "" {
		header := w.Header
		if header == "" {
			header = "X-Scanner-Signature"
		}
		headers[header] = Sign([]byte(os.Getenv(w.SecretEnv)), payload)
	}
	if err := p.post(ctx, w.URL, payload, headers); err != nil {
		return fmt.Errorf("%s: %w", w.label(), err)
	}
	return nil
}

// sendSlack posts text to a Slack incoming webhook.
func (p poster) sendSlack(ctx context.Context, url, text string) error {
	body, _ := json.Marshal(map[string]string{"text": text})
	if err := p.post(ctx, url, body, nil); err != nil {
		return fmt.Errorf("slack: %w", err)
	}
	return nil
}

func (c *Config) slackURL() string {
	if c.Slack.WebhookURLEnv != "" {
		return os.Getenv(c.Slack.WebhookURLEnv)
	}
	return c.Slack.WebhookURL
}
