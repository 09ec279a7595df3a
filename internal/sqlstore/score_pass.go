package sqlstore

import (
	"context"
	"fmt"
	"time"
)

// A ledger watch (migration 00034) tells a nightly pass which loans changed
// after its reads: while one is registered (BeginLedgerWatch, a row in
// score_passes) the ledger triggers note every loan whose payments or
// installments change in score_facts_changes (LedgerChanged). The aging
// replays the noted loans of a chunk again in the transaction that saves
// it, so that a payment posted while the night runs is never overwritten by
// a position read before it. (The scoring pass used the watch for its cache
// of facts until migration 00038; it now checks each borrower's row
// version instead, see CacheScoringFacts.)

// staleLedgerWatch is how long a registered watch counts as running: a
// pass that crashed without EndLedgerWatch is forgotten after it.
const staleLedgerWatch = 6 * time.Hour

// BeginLedgerWatch registers a ledger watch and returns its id; the caller
// commits before its readers open their read transactions and calls
// EndLedgerWatch when the pass ends. When no other watch runs, the changes
// noted for earlier ones are forgotten.
func (tx *Tx) BeginLedgerWatch(ctx context.Context) (int64, error) {
	if _, err := tx.exec(ctx, "DELETE FROM score_passes WHERE started_at < ?", ts(tx.now.Add(-staleLedgerWatch))); err != nil {
		return 0, fmt.Errorf("forget stale ledger watches: %w", err)
	}
	if err := tx.forgetChangesIfAlone(ctx); err != nil {
		return 0, err
	}
	var id int64
	if err := tx.get(ctx, "Ledger watch", "INSERT INTO score_passes (started_at) VALUES (?) RETURNING id",
		[]any{ts(tx.now)}, num(&id)); err != nil {
		return 0, fmt.Errorf("register ledger watch: %w", err)
	}
	return id, nil
}

// WatchLedger registers a ledger watch in a transaction of its own,
// committed before the caller's reads begin, and returns the function that
// ends it (in a transaction of its own, even after ctx is cancelled).
func (db *DB) WatchLedger(ctx context.Context) (end func() error, err error) {
	var id int64
	if err := db.InTx(ctx, func(tx *Tx) (err error) { id, err = tx.BeginLedgerWatch(ctx); return err }); err != nil {
		return nil, err
	}
	return func() error {
		c := context.WithoutCancel(ctx)
		return db.InTx(c, func(tx *Tx) error { return tx.EndLedgerWatch(c, id) })
	}, nil
}

// EndLedgerWatch ends watch id; the last watch to end forgets the changes
// noted.
func (tx *Tx) EndLedgerWatch(ctx context.Context, id int64) error {
	if _, err := tx.exec(ctx, "DELETE FROM score_passes WHERE id = ?", id); err != nil {
		return fmt.Errorf("end ledger watch %d: %w", id, err)
	}
	return tx.forgetChangesIfAlone(ctx)
}

func (tx *Tx) forgetChangesIfAlone(ctx context.Context) error {
	if _, err := tx.exec(ctx, "DELETE FROM score_facts_changes WHERE NOT EXISTS (SELECT 1 FROM score_passes)"); err != nil {
		return fmt.Errorf("forget ledger changes: %w", err)
	}
	return nil
}

// LedgerChanged returns the loans with ids from lo through hi, ascending,
// whose payments or installments changed while a ledger watch ran: since
// the oldest watch running began, as far as committed transactions show.
// It may name a loan that changed before the caller's own watch began,
// when another watch was already running.
func (tx *Tx) LedgerChanged(ctx context.Context, lo, hi int64) ([]int64, error) {
	ids, err := tx.int64s(ctx, "SELECT loan_id FROM score_facts_changes WHERE loan_id >= ? AND loan_id <= ? ORDER BY loan_id", lo, hi)
	if err != nil {
		return nil, fmt.Errorf("loans changed during the watch: %w", err)
	}
	return ids, nil
}
