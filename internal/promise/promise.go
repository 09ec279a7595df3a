package promise

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
)

// Status is where a promise stands.
type Status string

// The statuses. Open promises take payments; the others are final, except
// that a reversed payment can take a kept promise back.
const (
	Open       Status = "open"
	Kept       Status = "kept"
	PartlyKept Status = "partly_kept"
	Broken     Status = "broken"
	Cancelled  Status = "cancelled"
)

// Statuses lists every status, open first.
var Statuses = []Status{Open, Kept, PartlyKept, Broken, Cancelled}

// Channels are where a promise can be taken.
var Channels = []string{"call", "visit", "sms", "email", "portal", "bot"}

// Promise is one promise to pay on a case.
type Promise struct {
	ID           int64        `json:"id"`
	CaseID       int64        `json:"case_id"`
	BorrowerID   int64        `json:"borrower_id"`
	Amount       money.Amount `json:"amount"`
	Due          date.Date    `json:"due"`
	Channel      string       `json:"channel"`
	TakenBy      string       `json:"taken_by"`
	CollectorID  int64        `json:"collector_id,omitempty"` // the collector credited (the taker, or the case's collector)
	TeamID       int64        `json:"team_id,omitempty"`
	MadeOn       date.Date    `json:"made_on"` // the business date it was taken
	MadeAt       time.Time    `json:"made_at"`
	ContactID    int64        `json:"contact_id,omitempty"` // the contact attempt it was made in, if logged
	Status       Status       `json:"status"`
	Paid         money.Amount `json:"paid"` // matched payments so far
	JudgedOn     date.Date    `json:"judged_on,omitzero"`
	CancelReason string       `json:"cancel_reason,omitempty"`
	Note         string       `json:"note,omitempty"`
}

// Policy holds the rules for taking and judging promises.
type Policy struct {
	// MaxDays is how far ahead of today a promise may be dated.
	MaxDays int
	// Tolerance is a shortfall in fen still counted as kept, and
	// ToleranceShare one as a share of the amount; the larger applies.
	Tolerance      money.Amount
	ToleranceShare decimal.Decimal
}

// DefaultPolicy allows promises up to 30 days ahead and forgives a
// shortfall of up to ¥1.00.
func DefaultPolicy() Policy { return Policy{MaxDays: 30, Tolerance: 100} }

// Slack returns the shortfall forgiven on a promise of amount: the larger
// of the absolute tolerance and the share (rounded half-up to the fen).
func (p Policy) Slack(amount money.Amount) money.Amount {
	return money.Max(p.Tolerance, amount.Mul(p.ToleranceShare))
}

// Covered reports whether what was paid on pr keeps it.
func (p Policy) Covered(pr Promise) bool { return pr.Paid >= pr.Amount-p.Slack(pr.Amount) }

// Validate checks a new promise of amount by due, taken on today, against
// owed (what the borrower owes; 0 when unknown). It returns an Invalid
// error naming the fields "amount" and "due".
func (p Policy) Validate(amount money.Amount, due, today date.Date, owed money.Amount) error {
	var fe []errs.FieldError
	switch {
	case amount <= 0:
		fe = append(fe, errs.FieldError{Field: "amount", Message: "must be positive"})
	case owed > 0 && amount > owed:
		fe = append(fe, errs.FieldError{Field: "amount", Message: "is more than the " + owed.String() + " owed"})
	}
	if due.IsZero() || due.Before(today) || due.After(today.AddDays(p.MaxDays)) {
		fe = append(fe, errs.FieldError{Field: "due", Message: "must be from today to " + strconv.Itoa(p.MaxDays) + " days ahead"})
	}
	if len(fe) > 0 {
		return errs.Fields("The promise is not valid.", fe...)
	}
	return nil
}

// Judge returns pr's status as of asOf: cancelled stays cancelled; kept
// when covered (early or not); past its date (asOf after Due) partly kept
// when something was paid and broken when nothing was; open otherwise.
func (p Policy) Judge(pr Promise, asOf date.Date) Status {
	switch {
	case pr.Status == Cancelled:
		return Cancelled
	case p.Covered(pr):
		return Kept
	case !pr.Due.Before(asOf):
		return Open
	case pr.Paid > 0:
		return PartlyKept
	}
	return Broken
}

// Counts returns what status s adds to a case's kept and broken counters.
func Counts(s Status) (kept, broken int) {
	switch s {
	case Kept:
		return 1, 0
	case PartlyKept, Broken:
		return 0, 1
	}
	return 0, 0
}

// Final reports whether s is a judgement (kept, partly kept, broken).
func Final(s Status) bool { return s == Kept || s == PartlyKept || s == Broken }

// Match is part of a payment applied to a promise.
type Match struct {
	PromiseID int64        `json:"promise_id"`
	Amount    money.Amount `json:"amount"`
}

// Order sorts promises first in, first out: due date, then the day and
// time made, then id.
func Order(ps []Promise) {
	slices.SortStableFunc(ps, func(a, b Promise) int {
		return cmp.Or(cmp.Compare(a.Due, b.Due), cmp.Compare(a.MadeOn, b.MadeOn), a.MadeAt.Compare(b.MadeAt), cmp.Compare(a.ID, b.ID))
	})
}

// Allocate applies a payment of amount made on paidOn to promises, first
// in, first out. Only open promises made on or before paidOn and due on or
// after it take a share; each takes up to what it still lacks of its full
// amount. It returns the matches and what is left over, and does not
// change ps.
func Allocate(ps []Promise, amount money.Amount, paidOn date.Date) ([]Match, money.Amount) {
	open := slices.Clone(ps)
	Order(open)
	var out []Match
	left := amount
	for _, pr := range open {
		if left <= 0 {
			break
		}
		if pr.Status != Open || paidOn.Before(pr.MadeOn) || paidOn.After(pr.Due) || pr.Paid >= pr.Amount {
			continue
		}
		take := money.Min(left, pr.Amount-pr.Paid)
		out = append(out, Match{PromiseID: pr.ID, Amount: take})
		left -= take
	}
	return out, left
}
