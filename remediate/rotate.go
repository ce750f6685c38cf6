package remediate

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/scanner-dev/scanner/finding"
)

// orgNameRe is what a Kustomer org name must look like before it becomes part
// of a host name: the key comes from the scanned repository and must not
// choose where it is sent. (The same rule as validation's.)
var orgNameRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
})

// kustomerBase is the API host of a Kustomer key: base (KUSTOMER_API_URL)
// when set, else the org's own host from the key's orgName and pod claims.
func kustomerBase(base string, f *finding.Finding) string {
	if base != "" {
		return strings.TrimRight(base, "/")
	}
	pod := ""
	if f.Details["pod"] == "prod2" {
		pod = "prod2."
	}
	if org := strings.ToLower(f.Details["org_name"]); orgNameRe().MatchString(org) {
		return "https://" + org + ".api." + pod + "kustomerapp.com"
	}
	return "https://api." + pod + "kustomerapp.com"
}

// revokeURL is the revocation call of a provider that has one, or "".
func revokeURL(kustomerURL string, inc *Incident) string {
	if inc.Provider != "kustomer" {
		return ""
	}
	return kustomerBase(kustomerURL, &inc.Finding) + "/v1/auth/tokens/current"
}

// revokeKustomer deletes the key: DELETE /v1/auth/tokens/current with the
// key as Bearer token.
func revokeKustomer(ctx context.Context, c *http.Client, url string, f *finding.Finding) error {
	tok, ok := f.Part("token")
	if !ok || tok.IsZero() {
		return fmt.Errorf("kustomer revoke: the report holds no raw key (make it with --show-secrets)")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, url, nil)
	if err != nil {
		return fmt.Errorf("kustomer revoke: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+tok.Reveal())
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("kustomer revoke: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("kustomer revoke: status %d", resp.StatusCode)
	}
	return nil
}
