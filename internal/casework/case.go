package casework

import (
	"slices"

	"accord/internal/date"
	"accord/internal/ledger"
)

// DefaultOpenThreshold is the DPD at which a case opens: one day late.
const DefaultOpenThreshold = 1

// Status is whether a case is being worked.
type Status string

// The case statuses.
const (
	Open   Status = "open"
	Closed Status = "closed"
)

// CloseReason says why a case closed.
type CloseReason string

// The close reasons, from best to worst.
const (
	Cured      CloseReason = "cured"       // 出催: every loan current again (or paid off)
	Settled    CloseReason = "settled"     // 结清: closed by a settlement agreement
	ChargedOff CloseReason = "charged_off" // 核销: written off by the lender
)

// LoanState is one of the borrower's loans as of the run date: its
// delinquency facts and its status.
type LoanState struct {
	Position ledger.Position `json:"position"`
	Status   ledger.Status   `json:"status"`
}

// ShouldOpen reports whether a case should open for a borrower with these
// loans: when any loan is at least threshold days past due. A threshold
// below 1 means DefaultOpenThreshold.
func ShouldOpen(positions []ledger.Position, threshold int) bool {
	if threshold < 1 {
		threshold = DefaultOpenThreshold
	}
	for _, p := range positions {
		if p.DPD >= threshold {
			return true
		}
	}
	return false
}

// ShouldClose reports whether a case over loans can close, and why: when
// every loan is current, paid off, settled or charged off. The reason is the
// worst outcome among the loans: charged_off over settled over cured. An
// empty list never closes.
func ShouldClose(loans []LoanState) (CloseReason, bool) {
	if len(loans) == 0 {
		return "", false
	}
	reason := Cured
	for _, l := range loans {
		switch {
		case l.Status == ledger.ChargedOff:
			reason = ChargedOff
		case l.Status == ledger.Settled:
			if reason == Cured {
				reason = Settled
			}
		case l.Status == ledger.PaidOff, l.Position.DPD <= 0:
		default:
			return "", false
		}
	}
	return reason, true
}

// Case is one delinquent borrower's case.
type Case struct {
	ID          int64       `json:"id"`
	BorrowerID  int64       `json:"borrower_id"`
	Status      Status      `json:"status"`
	OpenedOn    date.Date   `json:"opened_on"`
	ClosedOn    date.Date   `json:"closed_on,omitzero"`
	CloseReason CloseReason `json:"close_reason,omitempty"`
	LoanIDs     []int64     `json:"loan_ids"`
	Owner       Owner       `json:"owner"`
	OwnerSince  date.Date   `json:"owner_since,omitzero"`
	Events      []Event     `json:"events"`
}

// OpenCase opens a case for borrowerID as of asOf when ShouldOpen holds for
// loans, gathering every delinquent loan. ok is false when no case should
// open.
func OpenCase(borrowerID int64, loans []LoanState, threshold int, asOf date.Date) (c Case, ok bool) {
	pos := make([]ledger.Position, len(loans))
	for i, l := range loans {
		pos[i] = l.Position
	}
	if !ShouldOpen(pos, threshold) {
		return Case{}, false
	}
	c = Case{BorrowerID: borrowerID, Status: Open, OpenedOn: asOf}
	for _, l := range loans {
		if l.Position.DPD > 0 {
			c.LoanIDs = append(c.LoanIDs, l.Position.LoanID)
		}
	}
	c.Events = []Event{opened(asOf, c.LoanIDs)}
	return c, true
}

// Review brings an open case up to date with the borrower's loans as of
// asOf: it adds loans that have fallen behind since, then closes the case if
// ShouldClose holds for its loans. A loan of the case missing from loans
// keeps it open. It returns the updated case and the events it added; a
// closed case is returned unchanged.
func (c Case) Review(loans []LoanState, asOf date.Date) (Case, []Event) {
	if c.Status != Open {
		return c, nil
	}
	var added []int64
	byID := make(map[int64]LoanState, len(loans))
	for _, l := range loans {
		byID[l.Position.LoanID] = l
		if l.Position.DPD > 0 && !slices.Contains(c.LoanIDs, l.Position.LoanID) {
			added = append(added, l.Position.LoanID)
		}
	}
	var evs []Event
	if len(added) > 0 {
		c.LoanIDs = append(slices.Clip(c.LoanIDs), added...)
		evs = append(evs, loansAdded(asOf, added))
	}
	mine := make([]LoanState, 0, len(c.LoanIDs))
	for _, id := range c.LoanIDs {
		l, ok := byID[id]
		if !ok {
			return c.with(evs), evs
		}
		mine = append(mine, l)
	}
	if reason, ok := ShouldClose(mine); ok {
		c.Status, c.ClosedOn, c.CloseReason = Closed, asOf, reason
		evs = append(evs, closed(asOf, reason))
	}
	return c.with(evs), evs
}

// Assign records a as the case's new owner on asOf. An assignment that keeps
// the owner changes nothing and adds no event.
func (c Case) Assign(a Assignment, asOf date.Date) (Case, []Event) {
	if a.To == c.Owner {
		return c, nil
	}
	c.Owner, c.OwnerSince = a.To, asOf
	evs := []Event{assigned(asOf, a)}
	return c.with(evs), evs
}

// with returns c with evs appended to a copy of its history, so that the
// caller's earlier Case value is never changed.
func (c Case) with(evs []Event) Case {
	if len(evs) > 0 {
		c.Events = append(slices.Clip(c.Events), evs...)
	}
	return c
}
