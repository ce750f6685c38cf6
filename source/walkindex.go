package source

import (
	"encoding/hex"
	"strings"

	"github.com/scanner-dev/scanner/finding"
)

// walkIndex is a whole history walk's changes, kept for Locate in little
// memory: git/git's 180,000 changes held their git log tokens, ids as hex
// strings and a map entry each (some 50 MB live). Here a blob id is 20
// bytes, a change's first prior blob is inline, and paths, authors and
// emails are stored once.
type walkIndex struct {
	byBlob  map[[20]byte][]slimChange
	strs    map[string]string // one copy of each path, author and email
	changes int
}

// slimChange is a change without its blob id (the index's key).
type slimChange struct {
	commit *commitInfo
	path   string
	prior  [20]byte // the first prior blob, when nPrior > 0
	nPrior uint8
	more   []string // the priors after the first (a merge's)
}

func newWalkIndex() *walkIndex {
	return &walkIndex{byBlob: map[[20]byte][]slimChange{}, strs: map[string]string{}}
}

// intern returns the index's copy of s.
func (w *walkIndex) intern(s string) string {
	if v, ok := w.strs[s]; ok {
		return v
	}
	s = strings.Clone(s) // not a slice of a larger token
	w.strs[s] = s
	return s
}

// commit keeps a commit's author and email once (its id is its own).
func (w *walkIndex) commit(c *commitInfo) {
	c.author, c.email = w.intern(c.author), w.intern(c.email)
}

// add records c; false for a change it cannot key (not a hex id).
func (w *walkIndex) add(c change) bool {
	var key [20]byte
	if len(c.blob) != 40 || hexDecode(key[:], c.blob) != nil {
		return false
	}
	s := slimChange{commit: c.commit, path: w.intern(c.path)}
	for i, p := range c.prior {
		if i == 0 && len(p) == 40 && hexDecode(s.prior[:], p) == nil {
			s.nPrior = 1
			continue
		}
		s.more = append(s.more, strings.Clone(p))
	}
	w.byBlob[key] = append(w.byBlob[key], s)
	w.changes++
	return true
}

// locations returns where blob id (hex) was added, in walk order.
func (w *walkIndex) locations(id string) []finding.Location {
	var key [20]byte
	if len(id) != 40 || hexDecode(key[:], id) != nil {
		return nil
	}
	var out []finding.Location
	for _, s := range w.byBlob[key] {
		c := change{commit: s.commit, path: s.path, blob: id}
		if s.nPrior > 0 {
			c.prior = append(c.prior, hex.EncodeToString(s.prior[:]))
		}
		c.prior = append(c.prior, s.more...)
		out = append(out, c.location())
	}
	return out
}
