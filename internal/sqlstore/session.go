package sqlstore

import (
	"context"
	"fmt"
	"time"

	"accord/internal/auth"
)

// CreateSession stores s (whose Hash is the SHA-256 of the cookie token)
// and sets its CreatedAt when zero. It returns an Invalid error if the user
// does not exist.
func (tx *Tx) CreateSession(ctx context.Context, s *auth.Session) error {
	if s.CreatedAt.IsZero() {
		s.CreatedAt = tx.now
	}
	s.CreatedAt, s.ExpiresAt = truncated(s.CreatedAt), truncated(s.ExpiresAt)
	_, err := tx.exec(ctx, "INSERT INTO sessions (hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
		s.Hash, s.UserID, s.CSRFToken, ts(s.CreatedAt), ts(s.ExpiresAt))
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// Session returns the session whose token hashes to hash, expired or not:
// the caller compares ExpiresAt with its clock. It returns a NotFound error
// if there is none.
func (tx *Tx) Session(ctx context.Context, hash []byte) (auth.Session, error) {
	var s auth.Session
	err := tx.get(ctx, "Session", `SELECT hash, user_id, csrf_token, created_at, expires_at FROM sessions
		WHERE hash = ?`, []any{hash},
		&s.Hash, &s.UserID, &s.CSRFToken, instant{&s.CreatedAt}, instant{&s.ExpiresAt})
	return s, err
}

// DeleteSession removes the session whose token hashes to hash (sign-out);
// removing one that is already gone is not an error.
func (tx *Tx) DeleteSession(ctx context.Context, hash []byte) error {
	if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE hash = ?", hash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions removes every session of user id (password change,
// disabling the user) and returns how many there were.
func (tx *Tx) DeleteUserSessions(ctx context.Context, userID int64) (int64, error) {
	res, err := tx.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", userID)
	if err != nil {
		return 0, fmt.Errorf("delete sessions of user %d: %w", userID, err)
	}
	return res.RowsAffected()
}

// DeleteExpiredSessions removes sessions expired at now and returns how many.
func (tx *Tx) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := tx.exec(ctx, "DELETE FROM sessions WHERE expires_at <= ?", ts(now))
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return res.RowsAffected()
}

const tokenCols = "id, name, user_id, prefix, hash, created_at, expires_at, last_used_at, revoked_at"

func tokenDest(t *auth.APIToken) []any {
	return []any{&t.ID, &t.Name, &t.UserID, &t.Prefix, &t.Hash, instant{&t.CreatedAt}, instant{&t.ExpiresAt}, instant{&t.LastUsedAt},
		instant{&t.RevokedAt}}
}

// CreateAPIToken stores t (whose Hash is the SHA-256 of the token) and sets
// its ID and CreatedAt. ExpiresAt is kept as given (to the microsecond); a
// zero ExpiresAt means no expiry. It returns a Conflict error if the hash
// exists.
func (tx *Tx) CreateAPIToken(ctx context.Context, t *auth.APIToken) error {
	t.CreatedAt = tx.now
	t.ExpiresAt = truncated(t.ExpiresAt)
	err := tx.get(ctx, "API token", `INSERT INTO api_tokens (name, user_id, prefix, hash, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, []any{t.Name, t.UserID, t.Prefix, t.Hash, ts(t.CreatedAt), ts(t.ExpiresAt)}, &t.ID)
	if err != nil {
		return fmt.Errorf("create api token: %w", err)
	}
	return nil
}

// APITokenByHash returns the token whose SHA-256 is hash, revoked or not
// (the caller decides). It returns a NotFound error if there is none.
func (tx *Tx) APITokenByHash(ctx context.Context, hash []byte) (auth.APIToken, error) {
	var t auth.APIToken
	err := tx.get(ctx, "API token", "SELECT "+tokenCols+" FROM api_tokens WHERE hash = ?", []any{hash}, tokenDest(&t)...)
	return t, err
}

// APIToken returns token id. It returns a NotFound error if there is none.
func (tx *Tx) APIToken(ctx context.Context, id int64) (auth.APIToken, error) {
	var t auth.APIToken
	err := tx.get(ctx, fmt.Sprintf("API token %d", id), "SELECT "+tokenCols+" FROM api_tokens WHERE id = ?", []any{id},
		tokenDest(&t)...)
	return t, err
}

// APITokens returns the tokens of user id, newest first.
func (tx *Tx) APITokens(ctx context.Context, userID int64) ([]auth.APIToken, error) {
	rows, err := tx.query(ctx, "SELECT "+tokenCols+" FROM api_tokens WHERE user_id = ? ORDER BY id DESC", userID)
	if err != nil {
		return nil, fmt.Errorf("list api tokens: %w", err)
	}
	defer rows.Close()
	var list []auth.APIToken
	for rows.Next() {
		var t auth.APIToken
		if err := rows.Scan(tokenDest(&t)...); err != nil {
			return nil, fmt.Errorf("scan api token: %w", err)
		}
		list = append(list, t)
	}
	return list, interpretError(rows.Err())
}

// TouchAPIToken records that token id was used at.
func (tx *Tx) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	res, err := tx.exec(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", ts(at), id)
	if err != nil {
		return fmt.Errorf("touch api token %d: %w", id, err)
	}
	return affected(res, fmt.Sprintf("API token %d", id))
}

// RevokeAPIToken revokes token id now; revoking it again keeps the first
// revocation time. It returns a NotFound error if there is no such token.
func (tx *Tx) RevokeAPIToken(ctx context.Context, id int64) error {
	res, err := tx.exec(ctx, "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?", ts(tx.now), id)
	if err != nil {
		return fmt.Errorf("revoke api token %d: %w", id, err)
	}
	return affected(res, fmt.Sprintf("API token %d", id))
}
