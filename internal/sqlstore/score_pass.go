package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"accord/internal/ledger"
)

// A ledger watch (migration 00034) tells a nightly pass which loans changed
// after its reads: while one is registered (BeginLedgerWatch, a row in
// score_passes) the ledger triggers note every loan whose payments or
// installments change in score_facts_changes (LedgerChanged). The scoring
// pass caches what its workers read of the loans score_loan_facts did not
// hold, and CacheScoringFacts leaves the noted loans out, so that a cached
// copy is never older than the ledger; the aging replays the noted loans of
// a chunk again in the transaction that saves it, so that a payment posted
// while the night runs is never overwritten by a position read before it.

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

// LoanFacts is one loan's schedule and payments as a scoring worker read
// them from the ledger tables (payments with their id, amount, dates and
// reversal, as ScoringFactsIn reads them).
type LoanFacts struct {
	LoanID   int64
	Schedule []ledger.Installment
	Payments []ledger.Payment
}

// PackedFacts is a loan's facts packed for score_loan_facts.
type PackedFacts struct {
	LoanID int64
	Body   []byte
}

// Pack packs f for CacheScoringFacts.
func (f LoanFacts) Pack() PackedFacts {
	return PackedFacts{LoanID: f.LoanID, Body: packLoanFacts(f.Schedule, f.Payments)}
}

// CacheScoringFacts stores the facts of list, read by a pass registered
// with BeginLedgerWatch and committed before the reads, for the next
// nights, except for the loans whose ledger facts changed since the pass
// began (noted by the triggers), loans cached meanwhile and loans that no
// longer exist. On PostgreSQL it first locks the loans (FOR UPDATE), which
// waits for payments being inserted on them to commit, so that their notes
// are seen. It returns how many it stored.
func (tx *Tx) CacheScoringFacts(ctx context.Context, list []PackedFacts) (int, error) {
	list = slices.Clone(list)
	slices.SortFunc(list, func(a, b PackedFacts) int { return cmp.Compare(a.LoanID, b.LoanID) })
	lock := ""
	if tx.db.d.engine == Postgres {
		lock = " FOR UPDATE"
	}
	stored := 0
	for start := 0; start < len(list); start += 500 {
		part := list[start:min(start+500, len(list))]
		ids := make([]int64, len(part))
		for i, f := range part {
			ids[i] = f.LoanID
		}
		live, err := tx.int64s(ctx, "SELECT id FROM loans WHERE id IN ("+placeholders(len(ids))+") ORDER BY id"+lock, int64Args(ids)...)
		if err != nil {
			return stored, fmt.Errorf("loans to cache: %w", err)
		}
		changed, err := tx.LedgerChanged(ctx, ids[0], ids[len(ids)-1])
		if err != nil {
			return stored, err
		}
		skip := make(map[int64]bool, len(changed))
		for _, id := range changed {
			skip[id] = true
		}
		keep := part[:0:0]
		for _, f := range part {
			if _, ok := slices.BinarySearch(live, f.LoanID); ok && !skip[f.LoanID] {
				keep = append(keep, f)
			}
		}
		if len(keep) == 0 {
			continue
		}
		err = tx.insertRowsThen(ctx, "INSERT INTO score_loan_facts (loan_id, body) VALUES ", " ON CONFLICT (loan_id) DO NOTHING",
			2, len(keep), 500, func(i int, a []any) []any { return append(a, keep[i].LoanID, keep[i].Body) })
		if err != nil {
			return stored, fmt.Errorf("cache scoring facts: %w", err)
		}
		stored += len(keep)
	}
	return stored, nil
}
