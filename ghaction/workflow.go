package ghaction

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/scanner-dev/scanner/finding"
)

// EscapeData escapes the message of a workflow command (the text after
// "::"): '%', '\r' and '\n', as the runner unescapes them.
func EscapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(QuoteControls(s))
}

// EscapeProperty escapes a property value of a workflow command (file=,
// title=...): EscapeData's characters and ':' and ',' too, so that a file
// name holding "::" or "," cannot end the property or the command.
func EscapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(QuoteControls(s))
}

// QuoteControls shows the control characters of s (ESC and the other C0
// and C1 controls, DEL) as visible escapes such as \x1b, so that a file name
// or a line from the repository cannot drive a terminal or a log viewer.
// Newlines, carriage returns and tabs are left to the caller's escaping.
func QuoteControls(s string) string {
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			fmt.Fprintf(&b, "\\x%02x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isControl(r rune) bool {
	return (r < 0x20 && r != '\n' && r != '\r' && r != '\t') || (r >= 0x7f && r <= 0x9f)
}

// Level is the kind of annotation a finding gets.
func Level(f finding.Finding) string {
	if f.Validation != nil && f.Validation.Status == finding.Invalid {
		return "warning"
	}
	if f.Validation != nil && f.Validation.Status == finding.Live || f.Severity.Rank() >= finding.High.Rank() {
		return "error"
	}
	if f.Severity == finding.Medium {
		return "warning"
	}
	return "notice"
}

// Annotation is the workflow command that puts a finding on its line, e.g.
// "::error file=app/.env,line=3,col=1,endLine=3,endColumn=40,title=...::...".
// Every piece of text the repository controls is escaped.
func Annotation(f finding.Finding) string {
	props := []string{"file=" + EscapeProperty(f.Path)}
	if f.Line > 0 {
		props = append(props, "line="+strconv.Itoa(f.Line))
		if f.Column > 0 {
			props = append(props, "col="+strconv.Itoa(f.Column))
		}
		if f.EndLine > 0 {
			props = append(props, "endLine="+strconv.Itoa(f.EndLine))
			if f.EndColumn > 0 && f.EndLine == f.Line {
				props = append(props, "endColumn="+strconv.Itoa(f.EndColumn))
			}
		}
	}
	props = append(props, "title="+EscapeProperty("scanner: "+f.Description))
	return "::" + Level(f) + " " + strings.Join(props, ",") + "::" + EscapeData(Message(f))
}

// Message says in one line what was found, with the credential redacted.
func Message(f finding.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s, %s): %s", f.Description, f.RuleID, f.Severity, f.Redacted())
	if f.Commit != "" {
		fmt.Fprintf(&b, "; introduced in %s", short(f.Commit))
		if f.AuthorName != "" {
			fmt.Fprintf(&b, " by %s", f.AuthorName)
		}
	}
	if f.Validation != nil {
		fmt.Fprintf(&b, "; validation: %s", f.Validation.Status)
		if f.Validation.Detail != "" {
			fmt.Fprintf(&b, " (%s)", f.Validation.Detail)
		}
	}
	b.WriteString(". Remove it, roll it at the provider (it stays in the git history) and load it from a secret store.")
	return b.String()
}

// WriteAnnotations writes one annotation per finding.
func WriteAnnotations(w io.Writer, fs []finding.Finding) error {
	for _, f := range fs {
		if _, err := fmt.Fprintln(w, Annotation(f)); err != nil {
			return err
		}
	}
	return nil
}

// StopCommands stops the runner from reading workflow commands in what the
// step prints next (the scan's logs and text report name files and authors
// the repository controls): it writes ::stop-commands:: with a random token
// and returns the function that writes the token again to resume. Calling
// resume more than once writes it once.
func StopCommands(w io.Writer) (resume func() error, err error) {
	token, err := randomToken("scanner_", "")
	if err != nil {
		return nil, err
	}
	if _, err := fmt.Fprintf(w, "::stop-commands::%s\n", token); err != nil {
		return nil, err
	}
	done := false
	return func() error {
		if done {
			return nil
		}
		done = true
		_, err := fmt.Fprintf(w, "\n::%s::\n", token)
		return err
	}, nil
}

// Output is one step output.
type Output struct{ Name, Value string }

// WriteOutputs appends outputs to the $GITHUB_OUTPUT file in its
// multi-line form, name<<DELIMITER, value, DELIMITER, with a random
// delimiter the value does not contain.
func WriteOutputs(w io.Writer, outs []Output) error {
	for _, o := range outs {
		if o.Name == "" || strings.ContainsAny(o.Name, "\r\n=<") {
			return fmt.Errorf("output name %q is not usable", o.Name)
		}
		delim, err := randomToken("ghadelimiter_", o.Value)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "%s<<%s\n%s\n%s\n", o.Name, delim, o.Value, delim); err != nil {
			return fmt.Errorf("write output %s: %w", o.Name, err)
		}
	}
	return nil
}

// randomToken returns prefix and 32 random hex digits, not found in value.
func randomToken(prefix, value string) (string, error) {
	for {
		var b [16]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", err
		}
		d := prefix + hex.EncodeToString(b[:])
		if !strings.Contains(value, d) {
			return d, nil
		}
	}
}

// CountLive counts the findings validated live.
func CountLive(fs []finding.Finding) int {
	n := 0
	for _, f := range fs {
		if f.Validation != nil && f.Validation.Status == finding.Live {
			n++
		}
	}
	return n
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}
