package chat

import (
	"context"
	"fmt"

	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/sqlstore"
)

// Owed is what a borrower owes now, replayed from the ledger (schedules and
// payments) as of today, summed over their loans: the same figures as the
// loan page. Penalty and fees are the demandable part, within the cost cap.
type Owed struct {
	Overdue              money.Amount `json:"overdue"` // everything demandable now
	OverduePrincipal     money.Amount `json:"overdue_principal"`
	OverdueInterest      money.Amount `json:"overdue_interest"`
	PenaltyDue           money.Amount `json:"penalty_due"`
	FeesDue              money.Amount `json:"fees_due"`
	OutstandingPrincipal money.Amount `json:"outstanding_principal"` // all unpaid principal, due or not
	Loans                int          `json:"loans"`
}

// owed replays every open loan of borrowerID as of asOf.
func (s *Service) owed(ctx context.Context, tx *sqlstore.Tx, borrowerID int64, asOf date.Date) (Owed, error) {
	var o Owed
	rows, _, err := tx.Loans(ctx, sqlstore.LoanFilter{BorrowerID: &borrowerID, Limit: 100})
	if err != nil {
		return o, err
	}
	for _, r := range rows {
		l := r.Loan
		if l.Status == ledger.PaidOff || l.Status == ledger.Settled {
			continue
		}
		sched, err := tx.Schedule(ctx, l.ID)
		if err != nil {
			return o, err
		}
		pays, err := tx.Payments(ctx, l.ID)
		if err != nil {
			return o, err
		}
		p := ledger.ReplayPosition(l, sched, pays, s.collect.Policy(), asOf)
		o.Loans++
		o.Overdue += p.OverdueTotal()
		o.OverduePrincipal += p.OverduePrincipal
		o.OverdueInterest += p.OverdueInterest
		o.PenaltyDue += p.PenaltyDue
		o.FeesDue += p.FeesDue
		o.OutstandingPrincipal += p.OutstandingPrincipal
	}
	return o, nil
}

// Owed returns what borrowerID owes today (for the portal's chat widget
// and the tests; the bot answers ask_balance with it).
func (s *Service) Owed(ctx context.Context, borrowerID int64) (Owed, error) {
	var o Owed
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		o, err = s.owed(ctx, tx, borrowerID, s.today())
		return err
	})
	return o, err
}

func (s *Service) today() date.Date { return date.FromTime(s.now().In(s.collect.Zone())) }

// decideBalance answers "how much do I owe" from the ledger.
func (s *Service) decideBalance(ctx context.Context, t *turn) error {
	var o Owed
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		o, err = s.owed(ctx, tx, t.key.borrowerID, t.today)
		return err
	})
	if err != nil {
		return fmt.Errorf("balance of borrower %d: %w", t.key.borrowerID, err)
	}
	lang := t.state.Bot.Lang
	if o.Overdue == 0 {
		t.reply.Text += say(lang, "balance_none")
	} else {
		t.reply.Text += fmt.Sprintf(say(lang, "balance_line"), o.Overdue, o.OverduePrincipal, o.OverdueInterest, o.PenaltyDue, o.FeesDue)
	}
	if o.OutstandingPrincipal > 0 {
		t.reply.Text += fmt.Sprintf(say(lang, "balance_principal"), o.OutstandingPrincipal)
	}
	t.reply.Links = append(t.reply.Links, s.link(lang, "pay"))
	return nil
}

// paymentLookBack is how far back "I already paid" is looked for without
// a date.
const paymentLookBack = 14

// decidePaid looks for the payment the borrower says they made: a payment
// not reversed, on the date they gave (or within three days before it) or
// in the last two weeks, of the amount they gave if any. Found, the bot
// says so; not found, it asks for the payment's reference.
func (s *Service) decidePaid(ctx context.Context, t *turn) error {
	from, to := t.today.AddDays(-paymentLookBack), t.today
	if t.bt.Date != 0 {
		from, to = t.bt.Date.AddDays(-3), t.bt.Date
	}
	var found *ledger.Payment
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		rows, _, err := tx.Loans(ctx, sqlstore.LoanFilter{BorrowerID: &t.key.borrowerID, Limit: 100})
		if err != nil {
			return err
		}
		for _, r := range rows {
			pays, err := tx.Payments(ctx, r.Loan.ID)
			if err != nil {
				return err
			}
			for i := range pays {
				p := pays[i]
				if p.Reversed || p.PaidOn.Before(from) || p.PaidOn.After(to) || (t.bt.HasAmount && p.Amount != t.bt.Amount) {
					continue
				}
				if found == nil || p.PaidOn.After(found.PaidOn) {
					found = &p
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("payments of borrower %d: %w", t.key.borrowerID, err)
	}
	lang := t.state.Bot.Lang
	if found != nil {
		t.reply.Text = fmt.Sprintf(say(lang, "paid_found"), dateText(lang, found.PaidOn), found.Amount)
		return nil
	}
	t.reply.Text = say(lang, "paid_ask_reference")
	t.state.Awaiting, t.ask = AskReference, AskReference
	return nil
}
