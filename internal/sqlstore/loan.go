package sqlstore

import (
	"context"
	"fmt"

	"accord/internal/errs"
	"accord/internal/ledger"
)

const loanCols = `l.id, l.external_id, l.borrower_id, l.product_code, l.principal_minor, l.annual_rate, l.term_months,
	l.method, l.disbursed_on, l.penalty_rate_daily, l.late_fee_minor, l.status, l.created_at, l.updated_at`

func loanDest(l *ledger.Loan) []any {
	return []any{num(&l.ID), &l.ExternalID, num(&l.BorrowerID), &l.ProductCode, num(&l.Principal), &l.AnnualRate, num(&l.TermMonths),
		&l.Method, &l.DisbursedOn, &l.PenaltyRateDaily, num(&l.LateFee), &l.Status, instant{&l.CreatedAt}, instant{&l.UpdatedAt}}
}

// LoanFilter selects loans. Pointer fields filter only when set: nil means
// "any". MinDPD, MaxDPD and Bucket look at the position the nightly run
// stored last; a loan without one has DPD 0 and no bucket.
type LoanFilter struct {
	BorrowerID *int64
	ExternalID *string
	Status     *ledger.Status
	MinDPD     *int
	MaxDPD     *int
	Bucket     *string
	Scope      *Scope // only loans of borrowers in this scope (nil: every loan)

	Limit, Offset int
}

// Loan returns the loan with id. It returns a NotFound error if there is none.
func (tx *Tx) Loan(ctx context.Context, id int64) (ledger.Loan, error) {
	var l ledger.Loan
	err := tx.get(ctx, fmt.Sprintf("Loan %d", id), "SELECT "+loanCols+" FROM loans l WHERE l.id = ?", []any{id}, loanDest(&l)...)
	return l, err
}

// LoanByExternalID returns the loan with the lender's id ext. It returns a
// NotFound error if there is none.
func (tx *Tx) LoanByExternalID(ctx context.Context, ext string) (ledger.Loan, error) {
	var l ledger.Loan
	err := tx.get(ctx, fmt.Sprintf("Loan %q", ext), "SELECT "+loanCols+" FROM loans l WHERE l.external_id = ?",
		[]any{ext}, loanDest(&l)...)
	return l, err
}

// LoanRow is a loan with the position and bucket the nightly run stored
// last, for lists. Position is zero (its AsOf zero) for a loan never aged.
type LoanRow struct {
	Loan     ledger.Loan
	Position ledger.Position
	Bucket   string
}

// Loans returns a page of the loans f selects with their positions, ordered
// by id, and how many it selects in all.
func (tx *Tx) Loans(ctx context.Context, f LoanFilter) ([]LoanRow, int, error) {
	var w where
	if f.BorrowerID != nil {
		w.add("l.borrower_id = ?", *f.BorrowerID)
	}
	if f.ExternalID != nil {
		w.add("l.external_id = ?", *f.ExternalID)
	}
	if f.Status != nil {
		w.add("l.status = ?", string(*f.Status))
	}
	if f.MinDPD != nil {
		w.add("COALESCE(p.dpd, 0) >= ?", *f.MinDPD)
	}
	if f.MaxDPD != nil {
		w.add("COALESCE(p.dpd, 0) <= ?", *f.MaxDPD)
	}
	if f.Bucket != nil {
		w.add("p.bucket = ?", *f.Bucket)
	}
	w.addScope(f.Scope, "l.borrower_id")
	from := " FROM loans l LEFT JOIN loan_positions p ON p.loan_id = l.id"
	var total int
	if err := tx.get(ctx, "Loans", "SELECT COUNT(*)"+from+w.String(), w.args, &total); err != nil {
		return nil, 0, fmt.Errorf("count loans: %w", err)
	}
	cols := loanCols + ", " + prefixed(positionCols, "p")
	rows, err := tx.query(ctx, "SELECT "+cols+from+w.String()+" ORDER BY l.id"+page(f.Limit, f.Offset), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list loans: %w", err)
	}
	defer rows.Close()
	var list []LoanRow
	for rows.Next() {
		var r LoanRow
		var pos PositionRow
		dest := positionDest(&pos)
		dest[4] = text{&pos.Bucket} // NULL when never aged
		if err := rows.Scan(append(loanDest(&r.Loan), dest...)...); err != nil {
			return nil, 0, fmt.Errorf("scan loan: %w", err)
		}
		r.Position, r.Bucket = pos.Position, pos.Bucket
		list = append(list, r)
	}
	return list, total, interpretError(rows.Err())
}

// CreateLoan inserts l and sets its ID, CreatedAt and UpdatedAt (and Status
// to active when empty). Its next due date stays unset until ReplaceSchedule.
// It returns a Conflict error if a loan with the same ExternalID exists and
// an Invalid error if the borrower does not.
func (tx *Tx) CreateLoan(ctx context.Context, l *ledger.Loan) error {
	if l.Status == "" {
		l.Status = ledger.Active
	}
	l.CreatedAt, l.UpdatedAt = tx.now, tx.now
	err := tx.get(ctx, "Loan", `INSERT INTO loans (external_id, borrower_id, product_code, principal_minor, annual_rate,
		term_months, method, disbursed_on, penalty_rate_daily, late_fee_minor, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{l.ExternalID, l.BorrowerID, l.ProductCode, int64(l.Principal), l.AnnualRate, l.TermMonths, string(l.Method),
			l.DisbursedOn, l.PenaltyRateDaily, int64(l.LateFee), string(l.Status), ts(l.CreatedAt), ts(l.UpdatedAt)}, &l.ID)
	if err != nil {
		return fmt.Errorf("create loan: %w", conflict(err, "Loan %q already exists.", l.ExternalID))
	}
	return nil
}

// UpsertLoan creates l, or, when a loan with l.ExternalID exists, updates its
// terms to match l (its status is the store's, not the import's, unless l
// sets one), sets l.ID and reports whether anything changed.
func (tx *Tx) UpsertLoan(ctx context.Context, l *ledger.Loan) (changed bool, err error) {
	cur, err := tx.LoanByExternalID(ctx, l.ExternalID)
	if errs.CodeOf(err) == errs.NotFound {
		return true, tx.CreateLoan(ctx, l)
	}
	if err != nil {
		return false, err
	}
	if l.Status == "" {
		l.Status = cur.Status
	}
	l.ID, l.CreatedAt, l.UpdatedAt = cur.ID, cur.CreatedAt, cur.UpdatedAt
	if cur.BorrowerID == l.BorrowerID && cur.ProductCode == l.ProductCode && cur.Principal == l.Principal &&
		cur.AnnualRate.Cmp(l.AnnualRate) == 0 && cur.TermMonths == l.TermMonths && cur.Method == l.Method &&
		cur.DisbursedOn == l.DisbursedOn && cur.PenaltyRateDaily.Cmp(l.PenaltyRateDaily) == 0 &&
		cur.LateFee == l.LateFee && cur.Status == l.Status {
		return false, nil
	}
	l.UpdatedAt = tx.now
	_, err = tx.exec(ctx, `UPDATE loans SET borrower_id = ?, product_code = ?, principal_minor = ?, annual_rate = ?,
		term_months = ?, method = ?, disbursed_on = ?, penalty_rate_daily = ?, late_fee_minor = ?, status = ?,
		updated_at = ? WHERE id = ?`,
		l.BorrowerID, l.ProductCode, int64(l.Principal), l.AnnualRate, l.TermMonths, string(l.Method), l.DisbursedOn,
		l.PenaltyRateDaily, int64(l.LateFee), string(l.Status), ts(l.UpdatedAt), l.ID)
	if err != nil {
		return false, fmt.Errorf("update loan %d: %w", l.ID, err)
	}
	return true, nil
}

// SetLoanStatus sets the status of loan id. It returns a NotFound error if
// there is no such loan.
func (tx *Tx) SetLoanStatus(ctx context.Context, id int64, status ledger.Status) error {
	res, err := tx.exec(ctx, "UPDATE loans SET status = ?, updated_at = ? WHERE id = ?", string(status), ts(tx.now), id)
	if err != nil {
		return fmt.Errorf("set loan %d status: %w", id, err)
	}
	return affected(res, fmt.Sprintf("Loan %d", id))
}
