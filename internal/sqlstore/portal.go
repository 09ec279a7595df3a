package sqlstore

import (
	"context"
	"fmt"
	"time"
)

// PortalChallenge is a one-time sign-in code asked for on the borrower
// portal. Only a salted SHA-256 of the code is kept (CodeHash, CodeSalt),
// and only a SHA-256 of the phone number typed (PhoneHash). BorrowerID is 0
// for a loan number and phone that did not match: no code was sent, but the
// request counts against the rate limits like any other.
type PortalChallenge struct {
	ID         int64
	BorrowerID int64
	LoanID     int64
	PhoneHash  string
	Addr       string
	CodeHash   string
	CodeSalt   string
	Attempts   int
	Status     string // open, used, locked, unmatched
	MessageID  int64
	CreatedAt  time.Time
	ExpiresAt  time.Time
}

// The statuses of a PortalChallenge.
const (
	ChallengeOpen      = "open"
	ChallengeUsed      = "used"
	ChallengeLocked    = "locked"
	ChallengeUnmatched = "unmatched"
)

const challengeCols = `id, borrower_id, loan_id, phone_hash, addr, code_hash, code_salt, attempts, status, message_id,
	created_at, expires_at`

func challengeDest(c *PortalChallenge) []any {
	return []any{&c.ID, &c.BorrowerID, &c.LoanID, &c.PhoneHash, &c.Addr, &c.CodeHash, &c.CodeSalt, &c.Attempts, &c.Status,
		&c.MessageID, instant{&c.CreatedAt}, instant{&c.ExpiresAt}}
}

// CreatePortalChallenge stores c and sets its ID.
func (tx *Tx) CreatePortalChallenge(ctx context.Context, c *PortalChallenge) error {
	c.CreatedAt, c.ExpiresAt = truncated(c.CreatedAt), truncated(c.ExpiresAt)
	err := tx.get(ctx, "Portal challenge", `INSERT INTO portal_challenges (borrower_id, loan_id, phone_hash, addr, code_hash,
		code_salt, attempts, status, message_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{c.BorrowerID, c.LoanID, c.PhoneHash, c.Addr, c.CodeHash, c.CodeSalt, c.Attempts, c.Status, c.MessageID,
			ts(c.CreatedAt), ts(c.ExpiresAt)}, &c.ID)
	if err != nil {
		return fmt.Errorf("create portal challenge: %w", err)
	}
	return nil
}

// PortalChallenge returns challenge id. It returns NotFound if there is none.
func (tx *Tx) PortalChallenge(ctx context.Context, id int64) (PortalChallenge, error) {
	var c PortalChallenge
	err := tx.get(ctx, fmt.Sprintf("Portal challenge %d", id), "SELECT "+challengeCols+" FROM portal_challenges WHERE id = ?",
		[]any{id}, challengeDest(&c)...)
	return c, err
}

// UpdatePortalChallenge saves c's attempts, status and message id.
func (tx *Tx) UpdatePortalChallenge(ctx context.Context, c PortalChallenge) error {
	res, err := tx.exec(ctx, "UPDATE portal_challenges SET attempts = ?, status = ?, message_id = ? WHERE id = ?",
		c.Attempts, c.Status, c.MessageID, c.ID)
	if err != nil {
		return fmt.Errorf("update portal challenge %d: %w", c.ID, err)
	}
	return affected(res, fmt.Sprintf("Portal challenge %d", c.ID))
}

// CountPortalChallenges counts the challenges asked for since since by
// phone hash (when phoneHash is not empty) or else by address.
func (tx *Tx) CountPortalChallenges(ctx context.Context, phoneHash, addr string, since time.Time) (int, error) {
	q, arg := "SELECT COUNT(*) FROM portal_challenges WHERE phone_hash = ? AND created_at > ?", phoneHash
	if phoneHash == "" {
		q, arg = "SELECT COUNT(*) FROM portal_challenges WHERE addr = ? AND created_at > ?", addr
	}
	var n int
	if err := tx.get(ctx, "Portal challenges", q, []any{arg, ts(since)}, &n); err != nil {
		return 0, fmt.Errorf("count portal challenges: %w", err)
	}
	return n, nil
}

// PortalSession is a borrower's signed-in session on the portal. Hash is
// the SHA-256 (hex) of the cookie token; the token itself is never stored.
type PortalSession struct {
	ID          int64
	Hash        string
	BorrowerID  int64
	LoanID      int64
	ChallengeID int64
	CSRFToken   string
	Addr        string
	CreatedAt   time.Time
	LastSeenAt  time.Time
	ExpiresAt   time.Time
}

const portalSessionCols = "id, hash, borrower_id, loan_id, challenge_id, csrf_token, addr, created_at, last_seen_at, expires_at"

func portalSessionDest(s *PortalSession) []any {
	return []any{&s.ID, &s.Hash, &s.BorrowerID, &s.LoanID, &s.ChallengeID, &s.CSRFToken, &s.Addr, instant{&s.CreatedAt},
		instant{&s.LastSeenAt}, instant{&s.ExpiresAt}}
}

// CreatePortalSession stores s and sets its ID.
func (tx *Tx) CreatePortalSession(ctx context.Context, s *PortalSession) error {
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = truncated(s.CreatedAt), truncated(s.LastSeenAt), truncated(s.ExpiresAt)
	err := tx.get(ctx, "Portal session", `INSERT INTO portal_sessions (hash, borrower_id, loan_id, challenge_id, csrf_token,
		addr, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{s.Hash, s.BorrowerID, s.LoanID, s.ChallengeID, s.CSRFToken, s.Addr, ts(s.CreatedAt), ts(s.LastSeenAt),
			ts(s.ExpiresAt)}, &s.ID)
	if err != nil {
		return fmt.Errorf("create portal session: %w", err)
	}
	return nil
}

// PortalSession returns the session whose token hashes to hash, expired or
// not (the caller compares the times). It returns NotFound if there is none.
func (tx *Tx) PortalSession(ctx context.Context, hash string) (PortalSession, error) {
	var s PortalSession
	err := tx.get(ctx, "Portal session", "SELECT "+portalSessionCols+" FROM portal_sessions WHERE hash = ?", []any{hash},
		portalSessionDest(&s)...)
	return s, err
}

// TouchPortalSession records that session id was used at.
func (tx *Tx) TouchPortalSession(ctx context.Context, id int64, at time.Time) error {
	res, err := tx.exec(ctx, "UPDATE portal_sessions SET last_seen_at = ? WHERE id = ?", ts(at), id)
	if err != nil {
		return fmt.Errorf("touch portal session %d: %w", id, err)
	}
	return affected(res, fmt.Sprintf("Portal session %d", id))
}

// DeletePortalSession removes the session whose token hashes to hash;
// removing one already gone is not an error.
func (tx *Tx) DeletePortalSession(ctx context.Context, hash string) error {
	if _, err := tx.exec(ctx, "DELETE FROM portal_sessions WHERE hash = ?", hash); err != nil {
		return fmt.Errorf("delete portal session: %w", err)
	}
	return nil
}

// DeleteExpiredPortalSessions removes the sessions expired at now, or idle
// since before idleSince, and returns how many.
func (tx *Tx) DeleteExpiredPortalSessions(ctx context.Context, now, idleSince time.Time) (int64, error) {
	res, err := tx.exec(ctx, "DELETE FROM portal_sessions WHERE expires_at <= ? OR last_seen_at < ?", ts(now), ts(idleSince))
	if err != nil {
		return 0, fmt.Errorf("delete expired portal sessions: %w", err)
	}
	return res.RowsAffected()
}

// CodeRedacted replaces a sign-in code's SMS text in the outbox once the
// code can no longer be used.
const CodeRedacted = "【验证码已失效 / sign-in code redacted】"

// RedactPortalCodes keeps sign-in codes out of the outbox once they are no
// use: the SMS of every challenge asked for since since that is used,
// locked or expired at now is cancelled if it was not sent yet, and its
// text replaced by CodeRedacted once it is no longer to be sent (sent,
// failed, blocked, cancelled), and its secret (the code, encrypted:
// migration 00021) cleared. It returns how many texts it replaced.
func (tx *Tx) RedactPortalCodes(ctx context.Context, now, since time.Time) (int64, error) {
	done := `SELECT message_id FROM portal_challenges WHERE message_id <> 0 AND created_at > ?
		AND (status IN ('used', 'locked') OR expires_at <= ?)`
	if _, err := tx.exec(ctx, `UPDATE messages SET status = 'cancelled', last_error = 'sign-in code no longer valid'
		WHERE status IN ('queued', 'held') AND id IN (`+done+`)`, ts(since), ts(now)); err != nil {
		return 0, fmt.Errorf("cancel unsent sign-in codes: %w", err)
	}
	if _, err := tx.exec(ctx, `UPDATE messages SET secret_enc = NULL WHERE secret_enc IS NOT NULL
		AND id IN (`+done+`)`, ts(since), ts(now)); err != nil {
		return 0, fmt.Errorf("clear sign-in codes: %w", err)
	}
	res, err := tx.exec(ctx, `UPDATE messages SET body = ? WHERE body <> ?
		AND status IN ('sent', 'failed', 'blocked', 'cancelled') AND id IN (`+done+`)`,
		CodeRedacted, CodeRedacted, ts(since), ts(now))
	if err != nil {
		return 0, fmt.Errorf("redact sign-in codes: %w", err)
	}
	return res.RowsAffected()
}
