package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// IdempotencyRecord is the stored outcome of a request sent with an
// Idempotency-Key header: a retry with the same key and the same request
// (RequestHash) gets the same response; one with a different request is a
// conflict. Scope keeps keys of different users and routes apart.
type IdempotencyRecord struct {
	Scope       string          // e.g. "user:12 POST /api/v1/payments"
	Key         string          // the client's key
	RequestHash string          // hex SHA-256 of the request body
	StatusCode  int             // the response's HTTP status
	Response    json.RawMessage // the response body
	CreatedAt   time.Time
}

// IdempotencyRecord returns the record for key in scope. It returns a
// NotFound error if there is none.
func (tx *Tx) IdempotencyRecord(ctx context.Context, scope, key string) (IdempotencyRecord, error) {
	r := IdempotencyRecord{Scope: scope, Key: key}
	var resp string
	err := tx.get(ctx, "Idempotency key", `SELECT request_hash, status_code, response, created_at FROM idempotency_keys
		WHERE scope = ? AND key = ?`, []any{scope, key}, &r.RequestHash, &r.StatusCode, &resp, instant{&r.CreatedAt})
	r.Response = json.RawMessage(resp)
	return r, err
}

// SaveIdempotencyRecord stores r and sets its CreatedAt. It returns a
// Conflict error if the key is already recorded in its scope: two requests
// with one key raced, and the second must not take effect.
func (tx *Tx) SaveIdempotencyRecord(ctx context.Context, r *IdempotencyRecord) error {
	r.CreatedAt = tx.now
	_, err := tx.exec(ctx, `INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, r.Scope, r.Key, r.RequestHash, r.StatusCode, string(r.Response), ts(r.CreatedAt))
	if err != nil {
		return fmt.Errorf("save idempotency key: %w", conflict(err, "Idempotency key %q was already used.", r.Key))
	}
	return nil
}

// DeleteIdempotencyRecords removes records created before t and returns how
// many.
func (tx *Tx) DeleteIdempotencyRecords(ctx context.Context, before time.Time) (int64, error) {
	res, err := tx.exec(ctx, "DELETE FROM idempotency_keys WHERE created_at < ?", ts(before))
	if err != nil {
		return 0, fmt.Errorf("delete idempotency keys: %w", err)
	}
	return res.RowsAffected()
}
