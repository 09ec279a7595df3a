package sqlstore

import (
	"context"
	"fmt"

	"accord/internal/audit"
)

// SetAuditKey makes every audit event appended from now on carry its MAC:
// the HMAC-SHA256 under key of its Seq and Hash (audit.MAC). The key lives
// outside the database (a file beside the PII key, or ACCORD_AUDIT_KEY), so
// whoever can write to the database can still rewrite the chain and
// recompute every SHA-256, but cannot recompute the MACs. Call it once,
// before the DB is used.
func (db *DB) SetAuditKey(key []byte) { db.auditKey = append([]byte(nil), key...) }

// AuditKey returns the key SetAuditKey set, or nil.
func (db *DB) AuditKey() []byte { return db.auditKey }

// SealAuditEvents gives every event up to and including seq upTo that has
// no MAC yet (written before the audit key existed) its MAC under the
// audit key, and returns how many it sealed. The caller verifies the chain
// first: sealing blesses what is stored.
func (tx *Tx) SealAuditEvents(ctx context.Context, upTo int64) (int64, error) {
	if len(tx.db.auditKey) == 0 {
		return 0, fmt.Errorf("seal audit events: no audit key")
	}
	rows, err := tx.query(ctx, "SELECT seq, hash FROM audit_events WHERE mac = '' AND seq <= ? ORDER BY seq", upTo)
	if err != nil {
		return 0, fmt.Errorf("list unsealed audit events: %w", err)
	}
	type item struct {
		seq  int64
		hash string
	}
	var list []item
	for rows.Next() {
		var it item
		if err := rows.Scan(&it.seq, &it.hash); err != nil {
			rows.Close()
			return 0, fmt.Errorf("scan audit event: %w", err)
		}
		list = append(list, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, interpretError(err)
	}
	for _, it := range list {
		if _, err := tx.exec(ctx, "UPDATE audit_events SET mac = ? WHERE seq = ?", audit.MAC(tx.db.auditKey, it.seq, it.hash), it.seq); err != nil {
			return 0, fmt.Errorf("seal audit event %d: %w", it.seq, err)
		}
	}
	return int64(len(list)), nil
}
