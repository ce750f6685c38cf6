package remediate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // pure-Go SQLite driver "sqlite": no C compiler needed

	"github.com/scanner-dev/scanner/finding"
)

// Incident statuses in the ledger.
const (
	StatusOpen    = "open"    // leaked and not known to be dead
	StatusRevoked = "revoked" // the provider refused it: revocation confirmed
)

// Ledger records each leaked credential and what was done about it, in an
// embedded SQLite file. It never stores a raw credential.
type Ledger struct{ db *sql.DB }

// Record is one incident as the ledger knows it.
type Record struct {
	Fingerprint string       `json:"fingerprint"`
	Provider    string       `json:"provider"`
	RuleID      string       `json:"rule_id"`
	Tier        string       `json:"tier,omitempty"`
	Redacted    string       `json:"redacted,omitempty"`
	Repository  string       `json:"repository,omitempty"`
	Status      string       `json:"status"`
	Validation  string       `json:"validation"` // last answer: live, invalid, unknown
	OpenedAt    time.Time    `json:"opened_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
	RotationAt  *time.Time   `json:"rotation_requested_at,omitempty"`
	RevokedAt   *time.Time   `json:"revocation_confirmed_at,omitempty"`
	EscalatedAt *time.Time   `json:"escalated_at,omitempty"`
	IssueNumber int          `json:"issue_number,omitempty"`
	IssueURL    string       `json:"issue_url,omitempty"`
	Locations   []LedgerLoc  `json:"locations"`
	Events      []Event      `json:"events"`
	Steps       []StepRecord `json:"steps,omitempty"`
}

// LedgerLoc is one place the credential was seen.
type LedgerLoc struct {
	Path   string `json:"path"`
	Line   int    `json:"line"`
	Commit string `json:"commit,omitempty"`
	Author string `json:"author,omitempty"`
}

// Event is one entry of an incident's history: a status answer, an alert
// sent, a rotation requested, a revocation confirmed, an escalation.
type Event struct {
	At     time.Time `json:"at"`
	Kind   string    `json:"kind"`
	Detail string    `json:"detail"`
}

const schema = `
CREATE TABLE IF NOT EXISTS incidents (
	fingerprint TEXT PRIMARY KEY, provider TEXT, rule_id TEXT, tier TEXT, redacted TEXT,
	repository TEXT, status TEXT, validation TEXT, opened_at TEXT, updated_at TEXT,
	rotation_at TEXT, revoked_at TEXT, escalated_at TEXT, issue_number INTEGER DEFAULT 0, issue_url TEXT DEFAULT '');
CREATE TABLE IF NOT EXISTS locations (
	fingerprint TEXT, path TEXT, line INTEGER, commit_id TEXT, author TEXT,
	UNIQUE(fingerprint, path, line, commit_id));
CREATE TABLE IF NOT EXISTS events (fingerprint TEXT, at TEXT, kind TEXT, detail TEXT);
CREATE TABLE IF NOT EXISTS steps (
	key TEXT PRIMARY KEY, fingerprint TEXT, kind TEXT, state TEXT, lease_until INTEGER DEFAULT 0,
	issue_number INTEGER DEFAULT 0, issue_url TEXT DEFAULT '', detail TEXT DEFAULT '', error TEXT DEFAULT '', at TEXT);`

// OpenLedger opens (creating when needed) the ledger at path.
func OpenLedger(path string) (*Ledger, error) {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("ledger %s: %w", path, err)
		}
	}
	// WAL and a busy timeout: concurrent runs (an Actions matrix, two
	// processes on one file) wait instead of failing, and each write does not
	// cost a full fsync. Transactions take the write lock when they begin
	// (_txlock=immediate), so a read-then-write never fails half-way.
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(30000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("ledger %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	if err := initSchema(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("ledger %s: %w", path, err)
	}
	return &Ledger{db: db}, nil
}

// initSchema creates the tables. Switching a new file to WAL answers
// SQLITE_BUSY at once, without the busy timeout, while another process does
// the same: that is tried again for a while.
func initSchema(db *sql.DB) error {
	deadline := time.Now().Add(30 * time.Second)
	for wait := 10 * time.Millisecond; ; wait = min(2*wait, 500*time.Millisecond) {
		_, err := db.Exec(schema)
		if err == nil || !strings.Contains(err.Error(), "SQLITE_BUSY") || time.Now().After(deadline) {
			return err
		}
		time.Sleep(wait)
	}
}

// OpenLedgerReadOnly opens the ledger at path for reading only, as dry-run
// does so that its plan leaves out the steps done before; it returns nil
// and no error when there is no ledger yet (nothing done before).
func OpenLedgerReadOnly(path string) (*Ledger, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(30000)")
	if err != nil {
		return nil, fmt.Errorf("ledger %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("ledger %s: %w", path, err)
	}
	return &Ledger{db: db}, nil
}

// Close closes the ledger file.
func (l *Ledger) Close() error { return l.db.Close() }

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// Upsert records an incident seen now, in one transaction (two runs may
// record the same incident at once): new ones open, known ones get the new
// locations; a status event is added when the validation answer changed.
// It reports whether the incident is new.
func (l *Ledger) Upsert(ctx context.Context, inc *Incident, now time.Time) (bool, error) {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("ledger: record %s: %w", inc.Fingerprint, err)
	}
	defer tx.Rollback()
	var old sql.NullString
	err = tx.QueryRowContext(ctx, `SELECT validation FROM incidents WHERE fingerprint = ?`, inc.Fingerprint).Scan(&old)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("ledger: record %s: %w", inc.Fingerprint, err)
	}
	isNew := errors.Is(err, sql.ErrNoRows)
	if err := upsertIncident(ctx, tx, inc, now); err != nil {
		return false, err
	}
	if isNew || old.String != string(inc.Status) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO events VALUES (?,?,?,?)`, inc.Fingerprint, ts(now), "status", string(inc.Status)); err != nil {
			return false, fmt.Errorf("ledger: add event: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("ledger: record %s: %w", inc.Fingerprint, err)
	}
	return isNew, nil
}

func upsertIncident(ctx context.Context, tx *sql.Tx, inc *Incident, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO incidents (fingerprint, provider, rule_id, tier, redacted,
		repository, status, validation, opened_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(fingerprint) DO UPDATE SET tier = COALESCE(NULLIF(excluded.tier, ''), tier),
		redacted = COALESCE(NULLIF(excluded.redacted, ''), redacted), validation = excluded.validation,
		updated_at = excluded.updated_at`,
		inc.Fingerprint, inc.Provider, inc.RuleID, inc.Tier, inc.Redacted, inc.Repository,
		StatusOpen, string(inc.Status), ts(now), ts(now))
	if err != nil {
		return fmt.Errorf("ledger: record %s: %w", inc.Fingerprint, err)
	}
	for _, loc := range inc.Locations {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO locations VALUES (?,?,?,?,?)`,
			inc.Fingerprint, loc.Path, loc.Line, loc.Commit, author(loc)); err != nil {
			return fmt.Errorf("ledger: record location: %w", err)
		}
	}
	return nil
}

func author(loc finding.Location) string {
	if loc.AuthorEmail == "" {
		return loc.AuthorName
	}
	return loc.AuthorName + " <" + loc.AuthorEmail + ">"
}

// AddEvent appends an entry to an incident's history.
func (l *Ledger) AddEvent(ctx context.Context, fp, kind, detail string, at time.Time) error {
	_, err := l.db.ExecContext(ctx, `INSERT INTO events VALUES (?,?,?,?)`, fp, ts(at), kind, detail)
	if err != nil {
		return fmt.Errorf("ledger: add event: %w", err)
	}
	return nil
}

// HasEvent reports whether the incident's history already holds kind/detail:
// what makes alerts idempotent.
func (l *Ledger) HasEvent(ctx context.Context, fp, kind, detail string) (bool, error) {
	var n int
	err := l.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM events WHERE fingerprint = ? AND kind = ? AND detail = ?`,
		fp, kind, detail).Scan(&n)
	return n > 0, err
}

// SetIssue remembers the GitHub issue of an incident.
func (l *Ledger) SetIssue(ctx context.Context, fp string, number int, url string) error {
	_, err := l.db.ExecContext(ctx, `UPDATE incidents SET issue_number = ?, issue_url = ? WHERE fingerprint = ?`, number, url, fp)
	return err
}

// Mark sets one of the timestamps ("rotation", "revoked", "escalated") once
// and records the event; "revoked" also closes the incident.
func (l *Ledger) Mark(ctx context.Context, fp, what, detail string, at time.Time) error {
	col := map[string]string{"rotation": "rotation_at", "revoked": "revoked_at", "escalated": "escalated_at"}[what]
	if col == "" {
		return fmt.Errorf("ledger: unknown mark %q", what)
	}
	q := `UPDATE incidents SET ` + col + ` = COALESCE(` + col + `, ?), updated_at = ? WHERE fingerprint = ?`
	if _, err := l.db.ExecContext(ctx, q, ts(at), ts(at), fp); err != nil {
		return fmt.Errorf("ledger: mark %s: %w", what, err)
	}
	if what == "revoked" {
		if _, err := l.db.ExecContext(ctx, `UPDATE incidents SET status = ?, validation = ? WHERE fingerprint = ?`,
			StatusRevoked, string(finding.Invalid), fp); err != nil {
			return fmt.Errorf("ledger: close: %w", err)
		}
	}
	return l.AddEvent(ctx, fp, what, detail, at)
}

// Reopen puts a revoked incident back to open (the credential answered live again).
func (l *Ledger) Reopen(ctx context.Context, fp string, at time.Time) error {
	_, err := l.db.ExecContext(ctx, `UPDATE incidents SET status = ?, revoked_at = NULL, escalated_at = NULL, updated_at = ? WHERE fingerprint = ?`,
		StatusOpen, ts(at), fp)
	if err == nil {
		err = l.AddEvent(ctx, fp, "reopened", "answered live again", at)
	}
	return err
}

const recordCols = `fingerprint, provider, rule_id, tier, redacted, repository, status, validation,
	opened_at, updated_at, rotation_at, revoked_at, escalated_at, issue_number, issue_url`

// Get returns the incident with fingerprint fp, or nil.
func (l *Ledger) Get(ctx context.Context, fp string) (*Record, error) {
	rs, err := l.query(ctx, `SELECT `+recordCols+` FROM incidents WHERE fingerprint = ?`, fp)
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	return &rs[0], nil
}

// List returns every incident, oldest first, with locations and history.
func (l *Ledger) List(ctx context.Context) ([]Record, error) {
	return l.query(ctx, `SELECT `+recordCols+` FROM incidents ORDER BY opened_at, fingerprint`)
}

func (l *Ledger) query(ctx context.Context, q string, args ...any) ([]Record, error) {
	rows, err := l.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	var out []Record
	for rows.Next() {
		var r Record
		var opened, updated string
		var rot, rev, esc sql.NullString
		if err := rows.Scan(&r.Fingerprint, &r.Provider, &r.RuleID, &r.Tier, &r.Redacted, &r.Repository, &r.Status,
			&r.Validation, &opened, &updated, &rot, &rev, &esc, &r.IssueNumber, &r.IssueURL); err != nil {
			rows.Close()
			return nil, fmt.Errorf("ledger: %w", err)
		}
		r.OpenedAt, r.UpdatedAt = parseTS(opened), parseTS(updated)
		r.RotationAt, r.RevokedAt, r.EscalatedAt = optTS(rot), optTS(rev), optTS(esc)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	for i := range out {
		if err := l.details(ctx, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (l *Ledger) details(ctx context.Context, r *Record) error {
	rows, err := l.db.QueryContext(ctx, `SELECT path, line, commit_id, author FROM locations WHERE fingerprint = ? ORDER BY rowid`, r.Fingerprint)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	for rows.Next() {
		var loc LedgerLoc
		err = errors.Join(err, rows.Scan(&loc.Path, &loc.Line, &loc.Commit, &loc.Author))
		r.Locations = append(r.Locations, loc)
	}
	rows.Close()
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	rows, err = l.db.QueryContext(ctx, `SELECT at, kind, detail FROM events WHERE fingerprint = ? ORDER BY rowid`, r.Fingerprint)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e Event
		var at string
		err = errors.Join(err, rows.Scan(&at, &e.Kind, &e.Detail))
		e.At = parseTS(at)
		r.Events = append(r.Events, e)
	}
	if err = errors.Join(err, rows.Err()); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	r.Steps, err = l.steps(ctx, r.Fingerprint)
	return err
}

func parseTS(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func optTS(s sql.NullString) *time.Time {
	if !s.Valid || s.String == "" {
		return nil
	}
	t := parseTS(s.String)
	return &t
}
