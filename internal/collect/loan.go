package collect

import (
	"context"
	"fmt"
	"strconv"

	"accord/internal/borrower"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/sqlstore"
)

// LoanPage is one loan with its schedule state, payments and delinquency
// facts computed as of AsOf.
type LoanPage struct {
	Loan         ledger.Loan         `json:"loan"`
	BorrowerName string              `json:"borrower_name"`
	Position     ledger.Position     `json:"position"`
	Payments     []ledger.Payment    `json:"payments"`
	Allocations  []ledger.Allocation `json:"allocations"`
}

// Loan returns loan id with its facts replayed as of asOf (today when zero).
// It returns a NotFound error if there is no such loan in by's scope.
func (s *Service) Loan(ctx context.Context, by Actor, id int64, asOf date.Date) (LoanPage, error) {
	if asOf.IsZero() {
		asOf = s.Today()
	}
	var page LoanPage
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		sc, err := s.scopeOf(ctx, tx, by)
		if err != nil {
			return err
		}
		l, err := reachLoan(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		name, err := tx.BorrowerName(ctx, l.BorrowerID)
		if err != nil {
			return err
		}
		sched, err := tx.Schedule(ctx, id)
		if err != nil {
			return err
		}
		pays, err := tx.Payments(ctx, id)
		if err != nil {
			return err
		}
		pos, allocs := ledger.Replay(l, sched, pays, s.policy, asOf)
		page = LoanPage{Loan: l, BorrowerName: name, Position: pos, Payments: pays, Allocations: allocs}
		return nil
	})
	if err != nil {
		return LoanPage{}, fmt.Errorf("load loan %d: %w", id, err)
	}
	return page, nil
}

// Loans lists the loans in by's scope matching f with their stored facts.
func (s *Service) Loans(ctx context.Context, by Actor, f sqlstore.LoanFilter) ([]LoanSummary, int, error) {
	var out []LoanSummary
	var total int
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		sc, err := s.scopeOf(ctx, tx, by)
		if err != nil {
			return err
		}
		f.Scope = &sc
		rows, n, err := tx.Loans(ctx, f)
		if err != nil {
			return err
		}
		total = n
		for _, r := range rows {
			out = append(out, LoanSummary{Loan: r.Loan, Position: r.Position, Bucket: r.Bucket})
		}
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list loans: %w", err)
	}
	return out, total, nil
}

// CreateLoan books a new loan for an existing borrower: it validates the
// terms, computes the schedule and stores both. A loan with an external id
// that already exists is a Conflict.
func (s *Service) CreateLoan(ctx context.Context, by Actor, l ledger.Loan) (ledger.Loan, error) {
	sched, err := ledger.Schedule(l.Terms())
	if err != nil {
		return ledger.Loan{}, err
	}
	if l.Status == "" {
		l.Status = ledger.Active
	}
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if _, err := tx.Borrower(ctx, l.BorrowerID); err != nil {
			if errs.CodeOf(err) == errs.NotFound {
				return errs.Field("borrower_id", "no borrower with id %d", l.BorrowerID)
			}
			return err
		}
		l.CreatedAt, l.UpdatedAt = s.now().UTC(), s.now().UTC()
		if err := tx.CreateLoan(ctx, &l); err != nil {
			return err
		}
		if err := tx.ReplaceSchedule(ctx, l.ID, sched); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "loan.create", "loan", strconv.FormatInt(l.ID, 10),
			map[string]any{"external_id": l.ExternalID, "principal": l.Principal, "months": l.TermMonths, "method": l.Method}))
	})
	if err != nil {
		return ledger.Loan{}, fmt.Errorf("create loan: %w", err)
	}
	return l, nil
}

// CreateBorrower stores a new borrower with contacts. A borrower whose
// external id exists is a Conflict.
func (s *Service) CreateBorrower(ctx context.Context, by Actor, b borrower.Borrower) (borrower.Borrower, error) {
	if err := b.Validate(); err != nil {
		return borrower.Borrower{}, err
	}
	if b.TimeZone == "" {
		b.TimeZone = borrower.DefaultTimeZone
	}
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		b.CreatedAt, b.UpdatedAt = s.now().UTC(), s.now().UTC()
		if err := tx.CreateBorrower(ctx, &b); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "borrower.create", "borrower", strconv.FormatInt(b.ID, 10),
			map[string]any{"external_id": b.ExternalID}))
	})
	if err != nil {
		return borrower.Borrower{}, fmt.Errorf("create borrower: %w", err)
	}
	return mask(b), nil
}
