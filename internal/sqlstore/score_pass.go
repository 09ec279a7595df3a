package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"accord/internal/ledger"
)

// The nightly scoring pass caches what its workers read of the loans that
// score_loan_facts did not hold (migration 00034). A worker's copy comes
// from its own read snapshot; while a pass is registered (BeginScoringPass)
// the ledger triggers note every loan whose payments or installments
// change in score_facts_changes, and CacheScoringFacts leaves those loans
// out, so that a cached copy is never older than the ledger.

// staleScoringPass is how long a registered pass counts as running: a pass
// that crashed without EndScoringPass is forgotten after it.
const staleScoringPass = 6 * time.Hour

// BeginScoringPass registers a running scoring pass and returns its id;
// the caller commits before its workers open their read transactions and
// calls EndScoringPass when the pass ends. When no other pass runs, the
// changes noted for earlier passes are forgotten.
func (tx *Tx) BeginScoringPass(ctx context.Context) (int64, error) {
	if _, err := tx.exec(ctx, "DELETE FROM score_passes WHERE started_at < ?", ts(tx.now.Add(-staleScoringPass))); err != nil {
		return 0, fmt.Errorf("forget stale scoring passes: %w", err)
	}
	if err := tx.forgetChangesIfAlone(ctx); err != nil {
		return 0, err
	}
	var id int64
	if err := tx.get(ctx, "Scoring pass", "INSERT INTO score_passes (started_at) VALUES (?) RETURNING id",
		[]any{ts(tx.now)}, num(&id)); err != nil {
		return 0, fmt.Errorf("register scoring pass: %w", err)
	}
	return id, nil
}

// EndScoringPass ends pass id; the last pass to end forgets the changes
// noted.
func (tx *Tx) EndScoringPass(ctx context.Context, id int64) error {
	if _, err := tx.exec(ctx, "DELETE FROM score_passes WHERE id = ?", id); err != nil {
		return fmt.Errorf("end scoring pass %d: %w", id, err)
	}
	return tx.forgetChangesIfAlone(ctx)
}

func (tx *Tx) forgetChangesIfAlone(ctx context.Context) error {
	if _, err := tx.exec(ctx, "DELETE FROM score_facts_changes WHERE NOT EXISTS (SELECT 1 FROM score_passes)"); err != nil {
		return fmt.Errorf("forget scoring changes: %w", err)
	}
	return nil
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
// with BeginScoringPass and committed before the reads, for the next
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
		changed, err := tx.int64s(ctx, "SELECT loan_id FROM score_facts_changes WHERE loan_id IN ("+placeholders(len(ids))+")",
			int64Args(ids)...)
		if err != nil {
			return stored, fmt.Errorf("loans changed during the pass: %w", err)
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
