package collect

import (
	"context"
	"fmt"
	"time"

	"accord/internal/borrower"
	"accord/internal/date"
	"accord/internal/demo"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/sqlstore"
)

// DemoOptions say what demo portfolio to load.
type DemoOptions struct {
	Borrowers int
	Seed      uint64
	AsOf      date.Date
	// HistoryDays is how many days before AsOf the book is aged from, one
	// day at a time, so that the dashboard has bucket transitions (roll
	// rates) and daily snapshots on the first day (see demoHistory). Zero
	// stores the positions as of AsOf directly.
	HistoryDays int
	// Batch is how many borrowers go into one transaction (demoBatch when
	// zero).
	Batch int
	// Fault, when set, is called after each batch with the borrowers
	// loaded so far; an error from it stops the load there (fault
	// injection: accord demo --fail-after, and the tests of taking a
	// failed demo back).
	Fault func(loaded int) error
}

// DemoResult counts what LoadDemo wrote.
type DemoResult struct {
	Borrowers, Loans, Payments int
	DurationMS                 int64

	paidLater []int64 // loans with a payment after the positions' date (see demoHistory)
}

// demoBatch is how many borrowers go into one transaction.
const demoBatch = 5000

// LoadDemo writes a deterministic synthetic portfolio (package demo) into an
// empty database with bulk inserts, storing each loan's replayed position
// as of opts.AsOf so that the first nightly run has history to compare
// with. It returns a Conflict error if the database already has borrowers.
// It writes in many transactions: accord demo wraps it, the demo users and
// LoadDemoCasework in BeginDemo … EndDemo or AbortDemo (demo_run.go), so
// that the whole demo is kept or none of it.
func (s *Service) LoadDemo(ctx context.Context, opts DemoOptions, progress func(done, total int)) (DemoResult, error) {
	start := time.Now()
	var res DemoResult
	if opts.Borrowers <= 0 || opts.Borrowers > 10_000_000 {
		return res, errs.Field("borrowers", "must be between 1 and 10,000,000")
	}
	if opts.HistoryDays < 0 || opts.HistoryDays > 366 {
		return res, errs.Field("history_days", "must be between 0 and 366")
	}
	from := opts.AsOf.AddDays(-opts.HistoryDays)
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		_, n, err := tx.Borrowers(ctx, sqlstore.BorrowerFilter{Limit: 1})
		if err != nil {
			return err
		}
		if n > 0 {
			return errs.Errorf(errs.Conflict, "The database already holds %d borrowers; the demo loads only into an empty database.", n)
		}
		for _, p := range demo.Products() {
			if _, err := tx.UpsertProduct(ctx, &p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	var batch []demo.Bundle
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error { return s.loadDemoBatch(ctx, tx, batch, from, &res) })
		batch = batch[:0]
		if progress != nil {
			progress(res.Borrowers, opts.Borrowers)
		}
		if err == nil && opts.Fault != nil {
			err = opts.Fault(res.Borrowers)
		}
		return err
	}
	size := opts.Batch
	if size <= 0 {
		size = demoBatch
	}
	err = demo.Generate(demo.Config{Borrowers: opts.Borrowers, Seed: opts.Seed, AsOf: opts.AsOf}, func(b demo.Bundle) error {
		batch = append(batch, b)
		if len(batch) == size {
			return flush()
		}
		return ctx.Err()
	})
	if err == nil {
		err = flush()
	}
	if err == nil && opts.HistoryDays > 0 {
		err = s.demoHistory(ctx, from, opts.AsOf, res.paidLater)
	}
	if err != nil {
		return res, fmt.Errorf("load demo portfolio: %w", err)
	}
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		return tx.AppendAudit(ctx, s.event(System("demo"), "demo.load", "portfolio", "", map[string]any{
			"borrowers": res.Borrowers, "loans": res.Loans, "payments": res.Payments, "seed": opts.Seed, "as_of": opts.AsOf,
			"history_days": opts.HistoryDays}))
	})
	res.DurationMS = time.Since(start).Milliseconds()
	return res, err
}

func (s *Service) loadDemoBatch(ctx context.Context, tx *sqlstore.Tx, batch []demo.Bundle, asOf date.Date, res *DemoResult) error {
	var (
		borrowers []borrower.Borrower
		contacts  []borrower.Contact
		loans     []sqlstore.BulkLoan
		insts     []sqlstore.InstallmentRow
		pays      []ledger.Payment
		positions []sqlstore.PositionRow
	)
	for _, b := range batch {
		borrowers = append(borrowers, b.Borrower)
		contacts = append(contacts, b.Contacts...)
		for _, h := range b.Loans {
			pos := ledger.ReplayPosition(h.Loan, h.Schedule, h.Payments, s.policy, asOf)
			loans = append(loans, sqlstore.BulkLoan{Loan: h.Loan, NextDue: pos.NextDue})
			for _, in := range h.Schedule {
				insts = append(insts, sqlstore.InstallmentRow{LoanID: h.Loan.ID, Installment: in})
			}
			pays = append(pays, h.Payments...)
			for _, p := range h.Payments {
				if p.PaidOn.After(asOf) {
					res.paidLater = append(res.paidLater, h.Loan.ID)
					break
				}
			}
			positions = append(positions, sqlstore.PositionRow{Position: pos, BorrowerID: h.Loan.BorrowerID, Bucket: s.bucket(pos.DPD)})
		}
	}
	steps := []func() error{
		func() error { return tx.BulkInsertBorrowers(ctx, borrowers) },
		func() error { return tx.BulkInsertContacts(ctx, contacts) },
		func() error { return tx.BulkInsertLoans(ctx, loans) },
		func() error { return tx.BulkInsertInstallments(ctx, insts) },
		func() error { return tx.BulkInsertPayments(ctx, pays) },
		func() error { return tx.SavePositions(ctx, positions) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	res.Borrowers += len(borrowers)
	res.Loans += len(loans)
	res.Payments += len(pays)
	return nil
}
