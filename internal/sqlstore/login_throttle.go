package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// LoginThrottle is the count of failed sign-ins for one key ("user:NAME" or
// "addr:IP"), shared by every node through the database.
type LoginThrottle struct {
	Key         string
	Failures    int       // within the window that began at WindowStart
	WindowStart time.Time // zero when there is no row
	LockedUntil time.Time // zero when not locked
}

// LoginThrottle returns the throttle row of key, or one with no failures
// when there is none (never NotFound: no failures is the normal state).
func (tx *Tx) LoginThrottle(ctx context.Context, key string) (LoginThrottle, error) {
	t := LoginThrottle{Key: key}
	row := tx.tx.QueryRowContext(ctx, tx.db.d.rebind(
		"SELECT failures, window_start, locked_until FROM login_throttle WHERE throttle_key = ?"), key)
	err := row.Scan(&t.Failures, instant{&t.WindowStart}, instant{&t.LockedUntil})
	if errors.Is(err, sql.ErrNoRows) {
		return t, nil
	}
	if err != nil {
		return t, fmt.Errorf("login throttle: %w", interpretError(err))
	}
	return t, nil
}

// RecordLoginFailure counts one failed sign-in for key at now and returns
// the row afterwards. Failures older than window no longer count: the count
// starts again at 1. When the count reaches limit the key is locked until
// now+lockout and the count starts again from zero. The count is one atomic
// upsert, so failures on several nodes at once are all counted.
func (tx *Tx) RecordLoginFailure(ctx context.Context, key string, now time.Time, window time.Duration, limit int,
	lockout time.Duration) (LoginThrottle, error) {
	now = truncated(now)
	t := LoginThrottle{Key: key}
	err := tx.get(ctx, "Login throttle", `INSERT INTO login_throttle (throttle_key, failures, window_start) VALUES (?, 1, ?)
		ON CONFLICT (throttle_key) DO UPDATE SET
			failures = CASE WHEN login_throttle.window_start <= ? THEN 1 ELSE login_throttle.failures + 1 END,
			window_start = CASE WHEN login_throttle.window_start <= ? THEN excluded.window_start ELSE login_throttle.window_start END
		RETURNING failures, window_start, locked_until`,
		[]any{key, ts(now), ts(now.Add(-window)), ts(now.Add(-window))},
		&t.Failures, instant{&t.WindowStart}, instant{&t.LockedUntil})
	if err != nil {
		return t, fmt.Errorf("record login failure: %w", err)
	}
	if limit > 0 && t.Failures >= limit {
		t.LockedUntil, t.Failures, t.WindowStart = truncated(now.Add(lockout)), 0, now
		if _, err := tx.exec(ctx, "UPDATE login_throttle SET locked_until = ?, failures = 0, window_start = ? WHERE throttle_key = ?",
			ts(t.LockedUntil), ts(now), key); err != nil {
			return t, fmt.Errorf("lock %s: %w", key, err)
		}
	}
	return t, nil
}

// ClearLoginThrottle forgets the failures and any lock of key (a
// successful sign-in, an administrator's unlock) and reports whether there
// were any.
func (tx *Tx) ClearLoginThrottle(ctx context.Context, key string) (bool, error) {
	res, err := tx.exec(ctx, "DELETE FROM login_throttle WHERE throttle_key = ?", key)
	if err != nil {
		return false, fmt.Errorf("clear login throttle: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// DeleteStaleLoginThrottles removes rows whose window began before before
// and that are not locked at now, and returns how many: they no longer count.
func (tx *Tx) DeleteStaleLoginThrottles(ctx context.Context, before, now time.Time) (int64, error) {
	res, err := tx.exec(ctx, `DELETE FROM login_throttle WHERE window_start < ?
		AND (locked_until IS NULL OR locked_until <= ?)`, ts(before), ts(now))
	if err != nil {
		return 0, fmt.Errorf("delete stale login throttles: %w", err)
	}
	return res.RowsAffected()
}

// RecordLoginRefused counts an attempt refused because key is locked and
// reports whether it should be audited: the first refusal, and then at most
// one every `every`, so that a flood of attempts against a locked name or
// address cannot flood the audit log. n is how many refusals the audited
// one stands for (itself and those not audited since the last).
func (tx *Tx) RecordLoginRefused(ctx context.Context, key string, now time.Time, every time.Duration) (audit bool, n int, err error) {
	now = truncated(now)
	var last time.Time
	err = tx.get(ctx, "Login throttle", `UPDATE login_throttle SET refused = refused + 1 WHERE throttle_key = ?
		RETURNING refused, refused_logged_at`, []any{key}, &n, instant{&last})
	if err != nil {
		return false, 0, fmt.Errorf("record refused login: %w", err)
	}
	if !last.IsZero() && now.Sub(last) < every {
		return false, n, nil
	}
	if _, err := tx.exec(ctx, "UPDATE login_throttle SET refused = 0, refused_logged_at = ? WHERE throttle_key = ?",
		ts(now), key); err != nil {
		return false, 0, fmt.Errorf("record refused login: %w", err)
	}
	return true, n, nil
}
