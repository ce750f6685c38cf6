package remediate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// The states of a step in the ledger.
const (
	StepClaimed = "claimed" // a run holds it until its lease ends
	StepDone    = "done"    // carried out (for an issue: its number is known)
	StepFailed  = "failed"  // the last try failed; the next run tries again
)

// StepRecord is a step as the ledger recorded it.
type StepRecord struct {
	Key         string    `json:"key"`
	Kind        string    `json:"kind"`
	State       string    `json:"state"`
	IssueNumber int       `json:"issue_number,omitempty"`
	IssueURL    string    `json:"issue_url,omitempty"`
	Detail      string    `json:"detail,omitempty"`
	Error       string    `json:"error,omitempty"`
	At          time.Time `json:"at"`
}

// Claim takes the step with idempotency key for the calling run until
// now+lease, in one statement (SQLite serialises it across processes): it
// succeeds when the ledger has no such step, or the step is not done and no
// lease on it is running (a run that crashed between claim and call, or one
// whose try failed). It reports whether the caller holds the claim.
func (l *Ledger) Claim(ctx context.Context, key, fp, kind string, now time.Time, lease time.Duration) (bool, error) {
	res, err := l.db.ExecContext(ctx, `INSERT INTO steps (key, fingerprint, kind, state, lease_until, at)
		VALUES (?,?,?,?,?,?)
		ON CONFLICT(key) DO UPDATE SET state = excluded.state, lease_until = excluded.lease_until, at = excluded.at
		WHERE steps.state != ? AND steps.lease_until < ?`,
		key, fp, kind, StepClaimed, now.Add(lease).UnixNano(), ts(now), StepDone, now.UnixNano())
	if err != nil {
		return false, fmt.Errorf("ledger: claim %s: %w", key, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Finish records how a step ended: done with its detail, or failed with
// its error text (already free of secrets), which ends any lease so the next
// run tries again.
func (l *Ledger) Finish(ctx context.Context, key, fp, kind string, failure, detail string, now time.Time) error {
	state := StepDone
	if failure != "" {
		state = StepFailed
	}
	_, err := l.db.ExecContext(ctx, `INSERT INTO steps (key, fingerprint, kind, state, lease_until, detail, error, at)
		VALUES (?,?,?,?,0,?,?,?)
		ON CONFLICT(key) DO UPDATE SET state = excluded.state, lease_until = 0, detail = excluded.detail,
		error = excluded.error, at = excluded.at`, key, fp, kind, state, detail, failure, ts(now))
	if err != nil {
		return fmt.Errorf("ledger: record step %s: %w", key, err)
	}
	return nil
}

// Note records the detail and error of a step's last try and leaves its
// state alone (a run that did not hold the step's claim).
func (l *Ledger) Note(ctx context.Context, key, failure, detail string, now time.Time) error {
	_, err := l.db.ExecContext(ctx, `UPDATE steps SET detail = ?, error = ?, at = ? WHERE key = ?`, detail, failure, ts(now), key)
	if err != nil {
		return fmt.Errorf("ledger: record step %s: %w", key, err)
	}
	return nil
}

// Release ends the caller's claim on a step it could not carry out (its
// issue not opened), so that the next run tries again at once.
func (l *Ledger) Release(ctx context.Context, key string, now time.Time) error {
	_, err := l.db.ExecContext(ctx, `UPDATE steps SET state = ?, lease_until = 0, at = ? WHERE key = ? AND state = ? AND issue_number = 0`,
		StepFailed, ts(now), key, StepClaimed)
	if err != nil {
		return fmt.Errorf("ledger: release %s: %w", key, err)
	}
	return nil
}

// SetStepIssue records the issue an issue step opened or adopted, which
// makes the step done: later runs update that issue.
func (l *Ledger) SetStepIssue(ctx context.Context, key string, number int, url string, now time.Time) error {
	_, err := l.db.ExecContext(ctx, `UPDATE steps SET state = ?, lease_until = 0, issue_number = ?, issue_url = ?, at = ?
		WHERE key = ?`, StepDone, number, url, ts(now), key)
	if err != nil {
		return fmt.Errorf("ledger: record the issue of %s: %w", key, err)
	}
	return nil
}

// Step returns the step with key, or nil.
func (l *Ledger) Step(ctx context.Context, key string) (*StepRecord, error) {
	var s StepRecord
	var at string
	err := l.db.QueryRowContext(ctx, `SELECT key, kind, state, issue_number, issue_url, detail, error, at
		FROM steps WHERE key = ?`, key).Scan(&s.Key, &s.Kind, &s.State, &s.IssueNumber, &s.IssueURL, &s.Detail, &s.Error, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ledger: step %s: %w", key, err)
	}
	s.At = parseTS(at)
	return &s, nil
}

func (l *Ledger) steps(ctx context.Context, fp string) ([]StepRecord, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT key, kind, state, issue_number, issue_url, detail, error, at
		FROM steps WHERE fingerprint = ? ORDER BY rowid`, fp)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	defer rows.Close()
	var out []StepRecord
	for rows.Next() {
		var s StepRecord
		var at string
		if err := rows.Scan(&s.Key, &s.Kind, &s.State, &s.IssueNumber, &s.IssueURL, &s.Detail, &s.Error, &at); err != nil {
			return nil, fmt.Errorf("ledger: %w", err)
		}
		s.At = parseTS(at)
		out = append(out, s)
	}
	return out, rows.Err()
}
