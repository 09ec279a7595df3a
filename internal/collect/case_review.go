package collect

import (
	"encoding/json"
	"fmt"
	"slices"

	"accord/internal/casework"
	"accord/internal/classify"
	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// caseWork is one borrower's case while the chunk works on it.
type caseWork struct {
	c          sqlstore.Case // as the run leaves it
	before     sqlstore.Case // as loaded; zero for a new case
	isNew      bool
	reassigned bool
	borrower   sqlstore.CaseBorrower
	loans      []sqlstore.CaseLoan // all the borrower's loans
	newLoans   []int64             // loans linked to the case tonight
	pays       []sqlstore.PaymentMark
	known      []sqlstore.PaymentMark // attributed on earlier nights
	contacts   []sqlstore.ContactMark // contact attempts in the contact window
	events     []pendingEvent
	prog       *strategy.Program
	result     strategy.Result
	treat      []ruleTreatment
	view       casework.CaseView
	placement  *strategy.AgencyCriteria
}

// pendingEvent is a case event whose case id may not be known yet; its
// dedup key is "case:<id>:<suffix>".
type pendingEvent struct {
	e      sqlstore.CaseEvent
	suffix string
}

func (w *caseWork) add(kind, code, zh, en string, data any, suffix string) {
	var raw json.RawMessage
	if data != nil {
		raw, _ = json.Marshal(data)
	}
	w.events = append(w.events, pendingEvent{e: sqlstore.CaseEvent{Kind: kind, Code: code, ZH: zh, EN: en, Data: raw,
		Actor: "nightly-run"}, suffix: suffix})
}

// dropEvents removes the pending events of kind, as when a decision is
// taken again.
func (w *caseWork) dropEvents(kind string) {
	w.events = slices.DeleteFunc(w.events, func(p pendingEvent) bool { return p.e.Kind == kind })
}

// loanStates are the borrower's loans as package casework reads them.
func loanStates(loans []sqlstore.CaseLoan) []casework.LoanState {
	out := make([]casework.LoanState, len(loans))
	for i, l := range loans {
		out[i] = casework.LoanState{Position: l.Position, Status: l.Status}
	}
	return out
}

// review brings borrower b's open case up to date with their loans (loans
// added, closed when cured) or opens one; nil when the borrower has no case
// and needs none.
func (r *caseRun) review(b int64, ch *sqlstore.CaseChunk) *caseWork {
	loans, states := ch.Loans[b], loanStates(ch.Loans[b])
	if c, ok := ch.Cases[b]; ok {
		w := &caseWork{c: c, before: c, borrower: ch.Borrowers[b], loans: loans, known: ch.CasePayments[c.ID]}
		dc, evs := domainCase(c).Review(states, r.asOf)
		w.newLoans = dc.LoanIDs[len(c.LoanIDs):]
		w.c.LoanIDs, w.c.Status, w.c.ClosedOn, w.c.CloseReason = dc.LoanIDs, dc.Status, dc.ClosedOn, dc.CloseReason
		for _, e := range evs {
			suffix := string(e.Kind) + ":" + r.asOf.String()
			if e.Kind == casework.EventClosed {
				suffix = "closed"
			}
			w.add(string(e.Kind), e.Code, e.ZH, e.EN, map[string]any{"loan_ids": e.LoanIDs}, suffix)
		}
		return w
	}
	dc, ok := casework.OpenCase(b, states, r.cfg.OpenThreshold, r.asOf)
	if !ok {
		return nil
	}
	bw := ch.Borrowers[b]
	w := &caseWork{isNew: true, borrower: bw, loans: loans, newLoans: dc.LoanIDs,
		c: sqlstore.Case{BorrowerID: b, Status: casework.Open, OpenedOn: r.asOf, LoanIDs: dc.LoanIDs, Language: bw.Language,
			Region: bw.Region, Flags: bw.Flags, HasPhone: bw.Phone != "", Tier: classify.Low, Segment: classify.WillingAble,
			Bucket: r.cfg.Classify.Buckets.Of(0)}}
	for _, e := range dc.Events {
		w.add(string(e.Kind), e.Code, e.ZH, e.EN, map[string]any{"loan_ids": e.LoanIDs}, string(e.Kind))
	}
	return w
}

// settle attributes the payments made on the case's loans since it opened
// and, for a case that closed tonight, frees its owner. (Promises to pay
// are judged before casework, by the promise book: see Promises.)
func (r *caseRun) settle(w *caseWork, ch *sqlstore.CaseChunk) {
	seen := make(map[int64]bool, len(w.known))
	for _, p := range w.known {
		seen[p.ID] = true
	}
	for _, id := range w.c.LoanIDs {
		for _, p := range ch.Payments[id] {
			if p.PaidOn.Before(w.c.OpenedOn) || seen[p.ID] {
				continue
			}
			seen[p.ID] = true
			w.pays = append(w.pays, p)
			w.c.Recovered += p.Amount
			if p.PaidOn.After(w.c.LastProgressOn) {
				w.c.LastProgressOn = p.PaidOn
			}
			if w.c.Owner.Kind == casework.ToAgency {
				if g, ok := r.pool.commission[w.c.Owner.ID]; ok {
					w.c.Cost += p.Amount.Mul(g.Commission)
				}
			}
			w.add(sqlstore.EventPayment, "", fmt.Sprintf("收到还款%s元（借款%d，%s）", p.Amount, p.LoanID, p.PaidOn),
				fmt.Sprintf("Payment of %s received on loan %d (%s)", p.Amount, p.LoanID, p.PaidOn),
				map[string]any{"payment_id": p.ID, "loan_id": p.LoanID, "amount": p.Amount, "paid_on": p.PaidOn},
				fmt.Sprintf("payment:%d", p.ID))
		}
	}
	if w.c.Status == casework.Closed && !w.isNew {
		r.pool.release(w.before.Owner)
	}
}

// caseLoans returns the borrower's loans that belong to the case.
func (w *caseWork) caseLoans() []sqlstore.CaseLoan {
	var out []sqlstore.CaseLoan
	for _, l := range w.loans {
		if slices.Contains(w.c.LoanIDs, l.ID) {
			out = append(out, l)
		}
	}
	return out
}

// worst returns the case loan with the highest DPD (the first on ties).
func worst(loans []sqlstore.CaseLoan) sqlstore.CaseLoan {
	var w sqlstore.CaseLoan
	for i, l := range loans {
		if i == 0 || l.Position.DPD > w.Position.DPD {
			w = l
		}
	}
	return w
}

// outstanding is everything owed on a loan: principal not yet repaid and
// the overdue interest, penalty and fees.
func outstanding(p ledger.Position) money.Amount {
	return p.OutstandingPrincipal + p.OverdueInterest + p.PenaltyDue + p.FeesDue
}

// oldestDue returns the earliest unpaid due date among loans, or zero.
func oldestDue(loans []sqlstore.CaseLoan) date.Date {
	var d date.Date
	for _, l := range loans {
		if o := l.Position.OldestUnpaidDue; !o.IsZero() && (d.IsZero() || o.Before(d)) {
			d = o
		}
	}
	return d
}
