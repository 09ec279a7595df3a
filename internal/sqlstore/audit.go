package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"accord/internal/audit"
)

// AppendAudit appends e to the audit chain: it assigns the next Seq, sets
// PrevHash and Hash, and At to the transaction's time when zero (in UTC, to
// the microsecond, so the hash still matches once PostgreSQL has stored it).
//
// Appends are strictly sequential even with concurrent writers: the update of
// the single audit_head row takes a row lock (PostgreSQL) or the write lock
// (SQLite) that the transaction holds until it commits, so the next append
// waits and then reads the new head. A rolled-back transaction leaves no gap,
// because Seq is assigned here, not by a sequence.
func (tx *Tx) AppendAudit(ctx context.Context, e audit.Event) error {
	var prevSeq int64
	var prevHash string
	err := tx.get(ctx, "Audit head", "UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash", nil,
		&prevSeq, &prevHash)
	if err != nil {
		return fmt.Errorf("lock audit head: %w", err)
	}
	if e.At.IsZero() {
		e.At = tx.now
	}
	e.At = truncated(e.At)
	e = audit.Seal(e, prevSeq, prevHash)
	if len(tx.db.auditKey) > 0 {
		e.MAC = audit.MAC(tx.db.auditKey, e.Seq, e.Hash)
	}
	var summary any
	if len(e.Summary) > 0 {
		summary = string(e.Summary)
	}
	_, err = tx.exec(ctx, `INSERT INTO audit_events (seq, at, actor_user_id, actor_username, actor_role, action,
		entity_type, entity_id, summary, request_id, prev_hash, hash, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, ts(e.At), e.Actor.UserID, e.Actor.Username, e.Actor.Role, e.Action, e.EntityType, e.EntityID, summary,
		e.RequestID, e.PrevHash, e.Hash, e.MAC)
	if err != nil {
		return fmt.Errorf("append audit event: %w", err)
	}
	if _, err := tx.exec(ctx, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", e.Seq, e.Hash); err != nil {
		return fmt.Errorf("advance audit head: %w", err)
	}
	return nil
}

// AuditHead returns the Seq and Hash of the newest audit event (0 and ""
// when there is none), as the store records them beside the chain. A
// verified chain that ends anywhere else has lost its newest events.
func (tx *Tx) AuditHead(ctx context.Context) (seq int64, hash string, err error) {
	err = tx.get(ctx, "Audit head", "SELECT seq, hash FROM audit_head WHERE id = 1", nil, &seq, &hash)
	return seq, hash, err
}

const auditCols = `seq, at, actor_user_id, actor_username, actor_role, action, entity_type, entity_id, summary,
	request_id, prev_hash, hash, mac`

func scanAudit(rows *sql.Rows) (audit.Event, error) {
	var e audit.Event
	var summary string
	err := rows.Scan(&e.Seq, instant{&e.At}, &e.Actor.UserID, &e.Actor.Username, &e.Actor.Role, &e.Action,
		&e.EntityType, &e.EntityID, text{&summary}, &e.RequestID, &e.PrevHash, &e.Hash, &e.MAC)
	if summary != "" {
		e.Summary = json.RawMessage(summary)
	}
	return e, err
}

// AuditEvents calls fn with every audit event in Seq order, streaming from
// one read transaction, so that `accord audit verify` checks millions of
// events in constant memory. It stops at the first error fn returns.
func (db *DB) AuditEvents(ctx context.Context, fn func(audit.Event) error) error {
	return db.Read(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, "SELECT "+auditCols+" FROM audit_events ORDER BY seq")
		if err != nil {
			return fmt.Errorf("list audit events: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				return fmt.Errorf("scan audit event: %w", err)
			}
			if err := fn(e); err != nil {
				return err
			}
		}
		return interpretError(rows.Err())
	})
}

// AuditFilter selects audit events. Pointer fields filter only when set.
type AuditFilter struct {
	EntityType  *string
	EntityID    *string
	ActorUserID *int64
	Action      *string
	BeforeSeq   *int64 // events older than this one: keyset paging through a long log

	Limit, Offset int
}

// AuditEventsFor returns a page of the events f selects, newest first, and
// how many it selects in all: the history of one record or one user.
func (tx *Tx) AuditEventsFor(ctx context.Context, f AuditFilter) ([]audit.Event, int, error) {
	var w where
	if f.EntityType != nil {
		w.add("entity_type = ?", *f.EntityType)
	}
	if f.EntityID != nil {
		w.add("entity_id = ?", *f.EntityID)
	}
	if f.ActorUserID != nil {
		w.add("actor_user_id = ?", *f.ActorUserID)
	}
	if f.Action != nil {
		w.add("action = ?", *f.Action)
	}
	if f.BeforeSeq != nil {
		w.add("seq < ?", *f.BeforeSeq)
	}
	var total int
	if err := tx.get(ctx, "Audit events", "SELECT COUNT(*) FROM audit_events"+w.String(), w.args, &total); err != nil {
		return nil, 0, fmt.Errorf("count audit events: %w", err)
	}
	rows, err := tx.query(ctx, "SELECT "+auditCols+" FROM audit_events"+w.String()+" ORDER BY seq DESC"+
		page(f.Limit, f.Offset), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list audit events: %w", err)
	}
	defer rows.Close()
	var list []audit.Event
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("scan audit event: %w", err)
		}
		list = append(list, e)
	}
	return list, total, interpretError(rows.Err())
}
