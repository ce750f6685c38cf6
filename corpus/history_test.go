package corpus

import (
	"encoding/binary"
	"strings"
	"testing"
	"unicode/utf16"
)

// utf16Text encodes s as UTF-16 in order, with a byte-order mark when bom is
// set: what PowerShell's Out-File and `>` write.
func utf16Text(s string, order binary.ByteOrder, bom bool) []byte {
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xfeff}, units...)
	}
	out := make([]byte, 2*len(units))
	for i, u := range units {
		order.PutUint16(out[2*i:], u)
	}
	return out
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// formByName returns the corpus form with that name.
func formByName(t *testing.T, name string) form {
	t.Helper()
	for _, f := range allForms() {
		if f.name == name {
			return f
		}
	}
	t.Fatalf("no form %q", name)
	return form{}
}

// history builds a repository in which forms are added, deleted, renamed,
// merged from a branch, amended, edited and copied, next to every trap, and
// returns where each credential must be reported.
type history struct {
	*gitRepo
	g    *gen
	want []placed
}

// add writes a form at path (its own when path is "") and returns its text.
func (h *history) add(name, path string) (string, []plant) {
	fm := formByName(h.t, name)
	text, plants := fm.render(h.g)
	if path == "" {
		path = fm.path
	}
	h.write(path, []byte(text))
	return text, plants
}

// expect records the plants of text as introduced at path by commit.
func (h *history) expect(text string, plants []plant, path, commit string) {
	for _, p := range plants {
		h.want = append(h.want, placed{plant: p, path: path, commit: commit, line: p.line(text)})
	}
}

func TestHistoryShapes(t *testing.T) {
	h := &history{gitRepo: newGitRepo(t), g: newGen(7)}
	h.write("README.md", []byte("# helpdesk\n"))
	h.commit("init")

	// added, then deleted
	text, plants := h.add("ini section, far apart", "")
	h.expect(text, plants, "conf/integrations.ini", h.commit("crisp settings"))
	h.git("rm", "-q", "conf/integrations.ini")
	h.commit("settings move to the vault")

	// renamed: reported where it was added, and at the new path from the
	// rename on, as a copy is (the file that holds it today is named)
	text, plants = h.add("npmrc _auth", "")
	h.expect(text, plants, ".npmrc", h.commit("private registry"))
	h.git("mv", ".npmrc", "frontend.npmrc")
	h.expect(text, plants, "frontend.npmrc", h.commit("rename npmrc"))

	// edited later: the credential stays, the blob changes
	text, plants = h.add("spring application.yml", "")
	h.expect(text, plants, "src/main/resources/application.yml", h.commit("spring config"))
	h.write("src/main/resources/application.yml", []byte(text+"logging:\n  level: debug\n"))
	h.commit("debug logging")

	// on a branch, merged
	h.git("checkout", "-q", "-b", "feature/kustomer")
	text, plants = h.add("kustomer helm values", "")
	h.expect(text, plants, "charts/crm-sync/values.yaml", h.commit("kustomer sync chart"))
	h.git("checkout", "-q", "main")
	h.write("CHANGELOG.md", []byte("- kustomer sync\n"))
	h.commit("changelog")
	h.git("merge", "-q", "--no-ff", "-m", "merge kustomer sync", "feature/kustomer")

	// amended: the rewritten commit introduces it
	text, plants = h.add("docker config.json", "")
	h.commit("ci registry login")
	h.write("ci/README.md", []byte("registry login for the runners\n"))
	h.git("add", "-A")
	h.git("commit", "-q", "--amend", "--no-edit")
	h.expect(text, plants, "ci/docker/config.json", h.git("rev-parse", "HEAD"))

	// UTF-16 files written on Windows
	text, plants = h.add("shell exports far apart", "deploy/.env.ps1")
	h.write("deploy/.env.ps1", utf16Text(crlf(text), binary.LittleEndian, true))
	h.expect(text, plants, "deploy/.env.ps1", h.commit("windows deploy env"))
	text, plants = h.add("netrc several lines", "deploy/netrc.txt")
	h.write("deploy/netrc.txt", utf16Text(text, binary.BigEndian, false))
	h.expect(text, plants, "deploy/netrc.txt", h.commit("netrc for the build box"))

	// saved as UTF-16LE, then re-saved as UTF-8: the first save introduced it
	text, plants = h.add("toml config table", "")
	h.write("helpdesk.toml", utf16Text(crlf(text), binary.LittleEndian, true))
	h.expect(text, plants, "helpdesk.toml", h.commit("config from the Windows box"))
	h.write("helpdesk.toml", []byte(text))
	h.commit("config as UTF-8")

	// copied into a second file later: one more finding at the new path
	text, plants = h.add("kustomer singer tap config", "")
	h.expect(text, plants, "taps/kustomer/config.json", h.commit("tap config"))
	h.write("backup/tap-config.json", []byte(text))
	h.expect(text, plants, "backup/tap-config.json", h.commit("backup"))

	for _, tr := range allTraps() {
		if _, pending := pendingPairing[tr.name]; !pending {
			h.write("traps/"+tr.path, []byte(tr.render(h.g)))
		}
	}
	h.commit("docs, data and templates")

	checkPlaced(t, h.want, scan(t, "git", h.dir))
}
