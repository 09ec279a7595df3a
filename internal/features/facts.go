package features

import (
	"time"

	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/money"
)

// Facts is everything known about one borrower, each fact with its date.
// Compute and Label read only what is dated on or before the date they are
// asked about (Label also what lies in its horizon).
type Facts struct {
	BorrowerID    int64
	MonthlyIncome money.Amount
	// Policy is the lender's ledger policy loans are replayed with; zero
	// fields take ledger's defaults.
	Policy   ledger.Policy
	Loans    []Loan
	Contacts []Contact
	Promises []Promise
	Plans    []Plan
	Visits   []Visit
}

// Loan is one loan with its schedule and every payment on it (reversed ones
// included, with the time of their reversal).
type Loan struct {
	Loan     ledger.Loan
	Schedule []ledger.Installment
	Payments []ledger.Payment
}

// Contact is one performed contact attempt: a call that reached the
// borrower in person is a right-party contact.
type Contact struct {
	On        date.Date
	Channel   string // call, sms, visit …
	Party     string // borrower, contact, third_party …
	Connected bool   // the attempt reached someone (outcome connected)
}

// RightParty reports whether c reached the borrower in person by phone.
func (c Contact) RightParty() bool {
	return c.Channel == "call" && c.Party == "borrower" && c.Connected
}

// Promise is a promise to pay. Its verdict (kept or broken) is known from
// JudgedOn; before that it is open, whatever it later became.
type Promise struct {
	MadeOn   date.Date
	Due      date.Date
	JudgedOn date.Date // zero while open
	Kept     bool      // the verdict: kept (true) or broken or partly kept (false)
	Final    bool      // there is a verdict (false: open or cancelled)
}

// Plan is a repayment plan (restructuring) and when it ended.
type Plan struct {
	Start       date.Date
	BrokenOn    date.Date // zero unless broken
	CompletedOn date.Date // zero unless completed
}

// Visit is a field visit carried out, and whether the borrower was met.
type Visit struct {
	On  date.Date
	Met bool
}

// reversedOn is the business date a reversal took effect (UTC date of the
// instant; zero when not reversed).
func reversedOn(p ledger.Payment) date.Date {
	if !p.Reversed {
		return 0
	}
	if p.ReversedAt.IsZero() {
		return p.PaidOn
	}
	return date.FromTime(p.ReversedAt.UTC())
}

// paymentsAsOf returns the payments of l as they stood at the end of day d:
// those paid by d, with a reversal only if it happened by d.
func paymentsAsOf(l Loan, d date.Date) []ledger.Payment {
	if knownBy(l.Payments, d) {
		return l.Payments // the usual night: nothing to drop or undo, no copy (callers only read it)
	}
	out := make([]ledger.Payment, 0, len(l.Payments))
	for _, p := range l.Payments {
		if p.PaidOn.After(d) {
			continue
		}
		if p.Reversed && reversedOn(p).After(d) {
			p.Reversed, p.ReversedAt = false, time.Time{}
		}
		out = append(out, p)
	}
	return out
}

// knownBy reports whether every payment of pays was made by d and none was
// reversed after d: what was known at d is all of them, as they stand.
func knownBy(pays []ledger.Payment, d date.Date) bool {
	for _, p := range pays {
		if p.PaidOn.After(d) || p.Reversed && reversedOn(p).After(d) {
			return false
		}
	}
	return true
}

// PaidOffBy returns the day loan l of f was paid off, when by the end of
// day d every payment of it was known (none made later, none reversed
// later) and the replay of its facts finds it paid off by d. Such a day
// does not change on later nights while the loan's facts and the policy
// stay the same, so the nightly scoring records it and stops replaying a
// borrower whose loans are all paid off. It replays only a loan whose
// payments could cover its schedule.
func PaidOffBy(f *Facts, l Loan, d date.Date) (date.Date, bool) { return paidOffBy(nil, f, l, d) }

func paidOffBy(x *ledger.Replayer, f *Facts, l Loan, d date.Date) (date.Date, bool) {
	if !covered(l, d) {
		return 0, false
	}
	pos := f.positionIn(x, l, d)
	if pos.PaidOffOn.IsZero() || pos.PaidOffOn.After(d) {
		return 0, false
	}
	return pos.PaidOffOn, true
}

// covered reports whether every payment of l was known by d and they add
// up to at least its schedule: the loan could be paid off.
func covered(l Loan, d date.Date) bool {
	if !knownBy(l.Payments, d) || len(l.Schedule) == 0 {
		return false
	}
	var paid, owed money.Amount
	for _, p := range l.Payments {
		if !p.Reversed {
			paid += p.Amount
		}
	}
	for _, in := range l.Schedule {
		owed += in.Total()
	}
	return paid >= owed
}

// position replays l as of d with only what was known at d.
func (f *Facts) position(l Loan, d date.Date) ledger.Position { return f.positionIn(nil, l, d) }

// positionIn is position replayed in x's buffers when x is not nil: the
// position is then valid only until x's next replay.
func (f *Facts) positionIn(x *ledger.Replayer, l Loan, d date.Date) ledger.Position {
	if x == nil {
		return ledger.ReplayPosition(l.Loan, l.Schedule, paymentsAsOf(l, d), f.Policy, d)
	}
	return x.Position(l.Loan, l.Schedule, paymentsAsOf(l, d), f.Policy, d)
}

// dpdOn returns the DPD on day t (on or before pos.AsOf) of the loan whose
// position pos is, read from when each installment was paid off: the days
// since the oldest installment due before t and not paid off by the end of
// t. Replay applies payments in time order, so an installment's payoff
// date does not depend on how far the replay ran; this spares a replay per
// past date.
func dpdOn(pos ledger.Position, t date.Date) int {
	for _, in := range pos.Installments {
		if !in.DueDate.Before(t) {
			break
		}
		if in.PaidOffOn.IsZero() || in.PaidOffOn.After(t) {
			return t.Sub(in.DueDate)
		}
	}
	return 0
}

// loansAsOf returns the loans disbursed by d.
func (f *Facts) loansAsOf(d date.Date) []Loan {
	var out []Loan
	for _, l := range f.Loans {
		if !l.Loan.DisbursedOn.After(d) {
			out = append(out, l)
		}
	}
	return out
}
