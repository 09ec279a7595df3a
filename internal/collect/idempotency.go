package collect

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// keyScope is the namespace of a client's Idempotency-Keys: per user and
// operation, so two integrations cannot collide.
func keyScope(by Actor, op string) string { return fmt.Sprintf("user:%d %s", by.User.ID, op) }

// idempotent runs do at most once per (scope, key): the first call stores
// do's result (JSON) and status; a later call with the same key and the
// same request (compared by the hash of req) decodes the stored result into
// out and returns the stored status with replayed set; the same key with
// another request is a Conflict. An error from do is returned as is and not
// stored, so a request that failed may be retried with its key; an outcome
// the client must see again (a refusal) is a result with its status, not an
// error.
func (s *Service) idempotent(ctx context.Context, scope, key string, req any, out any, do func() (any, int, error)) (status int, replayed bool, err error) {
	b, _ := json.Marshal(req)
	sum := sha256.Sum256(b)
	reqHash := hex.EncodeToString(sum[:])
	rec, err := s.idempotencyRecord(ctx, scope, key)
	switch errs.CodeOf(err) {
	case "":
		return rec.StatusCode, true, replay(rec, reqHash, out)
	case errs.NotFound:
	default:
		return 0, false, err
	}
	res, status, err := do()
	if err != nil {
		return 0, false, err
	}
	body, err := json.Marshal(res)
	if err != nil {
		return 0, false, fmt.Errorf("encode result: %w", err)
	}
	rec = sqlstore.IdempotencyRecord{Scope: scope, Key: key, RequestHash: reqHash, StatusCode: status, Response: body}
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.SaveIdempotencyRecord(ctx, &rec) })
	if errs.CodeOf(err) == errs.Conflict { // a concurrent request with the same key won the race
		if rec, err = s.idempotencyRecord(ctx, scope, key); err == nil {
			return rec.StatusCode, true, replay(rec, reqHash, out)
		}
	}
	if err != nil {
		return 0, false, err
	}
	return status, false, json.Unmarshal(body, out)
}

func (s *Service) idempotencyRecord(ctx context.Context, scope, key string) (sqlstore.IdempotencyRecord, error) {
	var rec sqlstore.IdempotencyRecord
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		rec, err = tx.IdempotencyRecord(ctx, scope, key)
		return err
	})
	return rec, err
}

func replay(rec sqlstore.IdempotencyRecord, reqHash string, out any) error {
	if rec.RequestHash != reqHash {
		return errs.Errorf(errs.Conflict, "Idempotency-Key was already used with a different request.")
	}
	if err := json.Unmarshal(rec.Response, out); err != nil {
		return fmt.Errorf("decode stored response: %w", err)
	}
	return nil
}
