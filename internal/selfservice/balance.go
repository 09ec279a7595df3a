package selfservice

import (
	"context"
	"fmt"

	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/sqlstore"
)

// LoanStatement is what one loan owes as the borrower sees it. Penalty
// and fees are only what is demandable within the cost cap: the part above
// the cap is tracked by the ledger but never shown or asked for.
type LoanStatement struct {
	LoanID      int64        `json:"loan_id"`
	LoanNumber  string       `json:"loan_number"`
	Product     string       `json:"product"`
	Principal   money.Amount `json:"principal"`
	TermMonths  int          `json:"term_months"`
	DisbursedOn date.Date    `json:"disbursed_on"`
	AsOf        date.Date    `json:"as_of"`
	DPD         int          `json:"dpd"`
	NextDue     date.Date    `json:"next_due,omitzero"`

	OutstandingPrincipal money.Amount `json:"outstanding_principal"`
	OverduePrincipal     money.Amount `json:"overdue_principal"`
	OverdueInterest      money.Amount `json:"overdue_interest"`
	Penalty              money.Amount `json:"penalty"` // within the cost cap
	Fees                 money.Amount `json:"fees"`    // within the cost cap
	Overdue              money.Amount `json:"overdue"` // the four above: what is due now
	// Payoff is what settles the loan today: all unpaid principal, the
	// overdue interest, penalty and fees, less any credit held.
	Payoff money.Amount `json:"payoff"`

	Schedule []ScheduleLine `json:"schedule"`
	Payments []PaymentLine  `json:"payments"`
}

// ScheduleLine is one installment with what was paid of it.
type ScheduleLine struct {
	Seq           int          `json:"seq"`
	Due           date.Date    `json:"due"`
	Principal     money.Amount `json:"principal"`
	Interest      money.Amount `json:"interest"`
	PaidPrincipal money.Amount `json:"paid_principal"`
	PaidInterest  money.Amount `json:"paid_interest"`
	State         string       `json:"state"` // paid, overdue, due, upcoming
	DPD           int          `json:"dpd"`
}

// PaymentLine is one payment received and how it was allocated.
type PaymentLine struct {
	ID         int64            `json:"id"`
	PaidOn     date.Date        `json:"paid_on"`
	Amount     money.Amount     `json:"amount"`
	Channel    string           `json:"channel"`
	Allocation []AllocationLine `json:"allocation"`
}

// AllocationLine is the part of a payment that went to one component of
// one installment (principal, interest, penalty, fee) or was held as credit.
type AllocationLine struct {
	Seq       int              `json:"seq"`
	Component ledger.Component `json:"component"`
	Amount    money.Amount     `json:"amount"`
}

// Balance returns what each of who's loans owes today, newest loan first.
func (s *Service) Balance(ctx context.Context, who Borrower) ([]LoanStatement, error) {
	var out []LoanStatement
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		id := who.ID
		rows, _, err := tx.Loans(ctx, sqlstore.LoanFilter{BorrowerID: &id, Limit: 50})
		if err != nil {
			return err
		}
		for _, r := range rows {
			st, err := s.statement(ctx, tx, r.Loan)
			if err != nil {
				return err
			}
			out = append(out, st)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("balance of borrower %d: %w", who.ID, err)
	}
	return out, nil
}

// statement replays loan l as of today.
func (s *Service) statement(ctx context.Context, tx *sqlstore.Tx, l ledger.Loan) (LoanStatement, error) {
	sched, err := tx.Schedule(ctx, l.ID)
	if err != nil {
		return LoanStatement{}, err
	}
	pays, err := tx.Payments(ctx, l.ID)
	if err != nil {
		return LoanStatement{}, err
	}
	asOf := s.Today()
	pos, allocs := ledger.Replay(l, sched, pays, s.collect.Policy(), asOf)
	st := LoanStatement{LoanID: l.ID, LoanNumber: l.ExternalID, Product: l.ProductCode, Principal: l.Principal,
		TermMonths: l.TermMonths, DisbursedOn: l.DisbursedOn, AsOf: asOf, DPD: pos.DPD, NextDue: pos.NextDue,
		OutstandingPrincipal: pos.OutstandingPrincipal, OverduePrincipal: pos.OverduePrincipal,
		OverdueInterest: pos.OverdueInterest, Penalty: pos.PenaltyDue, Fees: pos.FeesDue, Overdue: pos.OverdueTotal()}
	st.Payoff = max(0, pos.OutstandingPrincipal+pos.OverdueInterest+pos.PenaltyDue+pos.FeesDue-pos.Credit)
	for _, in := range pos.Installments {
		st.Schedule = append(st.Schedule, ScheduleLine{Seq: in.Seq, Due: in.DueDate, Principal: in.Principal,
			Interest: in.Interest, PaidPrincipal: in.PaidPrincipal, PaidInterest: in.PaidInterest, State: in.State, DPD: in.DPD})
	}
	byPay := map[int64][]AllocationLine{}
	for _, a := range allocs {
		byPay[a.PaymentID] = append(byPay[a.PaymentID], AllocationLine{Seq: a.Seq, Component: a.Component, Amount: a.Amount})
	}
	for i := len(pays) - 1; i >= 0; i-- {
		p := pays[i]
		if p.Reversed {
			continue
		}
		st.Payments = append(st.Payments, PaymentLine{ID: p.ID, PaidOn: p.PaidOn, Amount: p.Amount, Channel: p.Channel,
			Allocation: byPay[p.ID]})
	}
	return st, nil
}

// ownLoan loads loan id if it is who's, and otherwise returns the NotFound
// error of a missing loan.
func ownLoan(ctx context.Context, tx *sqlstore.Tx, who Borrower, id int64) (ledger.Loan, error) {
	l, err := tx.Loan(ctx, id)
	if err == nil && l.BorrowerID == who.ID {
		return l, nil
	}
	if err != nil && !isNotFound(err) {
		return ledger.Loan{}, err
	}
	return ledger.Loan{}, notFoundLoan(id)
}

// Amount returns the installment's principal and interest.
func (l ScheduleLine) Amount() money.Amount { return l.Principal + l.Interest }

// Paid returns what was paid of the installment's principal and interest.
func (l ScheduleLine) Paid() money.Amount { return l.PaidPrincipal + l.PaidInterest }
