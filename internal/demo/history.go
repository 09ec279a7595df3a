package demo

import (
	"fmt"
	"math"
	"time"

	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/money"
)

// history computes loan l's schedule, generates its payments up to the
// as-of date under behaviour b, and sets its status from the replayed
// position on the as-of date.
func (g *generator) history(r rng, l ledger.Loan, b Behaviour, loc *time.Location) (LoanHistory, error) {
	sched, err := ledger.Schedule(l.Terms())
	if err != nil {
		return LoanHistory{}, fmt.Errorf("schedule: %w", err)
	}
	p := payer{r: r, b: b, loc: loc, pol: g.pol, asOf: g.cfg.AsOf, h: LoanHistory{Loan: l, Schedule: sched}}
	for _, in := range sched {
		if in.DueDate.After(p.asOf.AddDays(5)) {
			break
		}
		p.pay(in)
	}
	pos := ledger.ReplayPosition(l, sched, p.h.Payments, g.pol, p.asOf)
	p.h.Loan.Status = ledger.StatusFor(l, pos)
	return p.h, nil
}

// payer writes the payment history of one loan.
type payer struct {
	r    rng
	b    Behaviour
	loc  *time.Location
	pol  ledger.Policy
	asOf date.Date
	h    LoanHistory
	// charges is set while penalty or fees above the cost cap remain: they
	// become demandable as the cap's room grows, so the next bill is bigger
	// than the installment.
	charges bool
}

// pay generates what the borrower pays for installment in:
//
//   - in good standing, the installment in full on or up to five days
//     before its due date; or, with chance b.LateRate, 1–20 days late,
//     exactly what is then demandable (principal, interest, penalty and
//     late fee, as ledger.Replay computes them), which cures the loan;
//   - from b.TroubleOn, nothing, except that a Partial hardship borrower
//     pays 20–60% of most installments a few days after they fall due, so
//     the arrears grow more slowly.
//
// Payments that would fall after the as-of date are not made.
func (p *payer) pay(in ledger.Installment) {
	troubled := !p.b.TroubleOn.IsZero() && !in.DueDate.Before(p.b.TroubleOn)
	switch {
	case troubled && p.b.Partial && p.r.chance(0.7):
		on := in.DueDate.AddDays(p.r.between(0, 12))
		amount := wholeYuan(float64(in.Total()) * p.r.uniform(0.2, 0.6))
		p.add(on, amount, p.r.channel(false))
	case troubled:
	case p.r.chance(p.b.LateRate):
		p.payDemanded(in.DueDate.AddDays(p.r.lateDays()), 0, p.r.channel(false))
	case p.charges:
		// Pay the bill on the due date: paid earlier, it would wait as
		// credit while more of the charges became demandable and ate it.
		p.payDemanded(in.DueDate, in.Total(), p.r.channel(true))
	default:
		ch := p.r.channel(true)
		on := in.DueDate
		if ch != "withholding" {
			on = on.AddDays(-p.r.between(0, 5))
		}
		p.add(on, in.Total(), ch)
	}
}

// payDemanded pays on day on everything then demandable plus extra.
func (p *payer) payDemanded(on date.Date, extra money.Amount, channel string) {
	if on.After(p.asOf) {
		return
	}
	pos := ledger.ReplayPosition(p.h.Loan, p.h.Schedule, p.h.Payments, p.pol, on)
	p.add(on, pos.OverdueTotal()+extra, channel)
	p.charges = pos.AboveCap > 0
}

// add appends the loan's next payment, received on day on in the
// borrower's zone at a time that suits the channel, unless on is after the
// as-of date or amount is not positive.
func (p *payer) add(on date.Date, amount money.Amount, channel string) {
	if on.After(p.asOf) || amount <= 0 {
		return
	}
	h := &p.h
	id := h.Loan.ID*1000 + int64(len(h.Payments)+1)
	h.Payments = append(h.Payments, ledger.Payment{
		ID:         id,
		ExternalID: fmt.Sprintf("P%013d", id),
		LoanID:     h.Loan.ID,
		Amount:     amount,
		PaidOn:     on,
		Channel:    channel,
		ReceivedAt: on.In(p.loc).Add(p.r.timeOfDay(channel)).UTC(),
	})
}

// timeOfDay returns when a payment by channel arrives: the lender's batch
// debit runs early in the morning, bank transfers in banking hours, and app
// payments peak in the evening.
func (r rng) timeOfDay(channel string) time.Duration {
	switch channel {
	case "withholding":
		return r.localTime(6*time.Hour, 9*time.Hour)
	case "bank_transfer":
		return r.localTime(9*time.Hour, 17*time.Hour)
	}
	return 8*time.Hour + time.Duration(math.Sqrt(r.Float64())*16*3600)*time.Second
}

// channel returns how a payment arrives: scheduled payments are mostly
// withheld from the borrower's card, others come through the app or a bank
// transfer.
func (r rng) channel(scheduled bool) string {
	x := r.Float64()
	switch {
	case scheduled && x < 0.5:
		return "withholding"
	case x < 0.8:
		return "app"
	}
	return "bank_transfer"
}

// lateDays returns 1–20, mostly a few days.
func (r rng) lateDays() int {
	x := r.Float64()
	return 1 + int(20*x*x)
}
