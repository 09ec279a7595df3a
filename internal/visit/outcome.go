package visit

import (
	"fmt"
	"slices"
	"strings"

	"accord/internal/borrower"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
)

// Kind is what happened on a visit.
type Kind string

// The outcome kinds.
const (
	MetBorrower  Kind = "met_borrower"  // spoke with the borrower
	MetOther     Kind = "met_other"     // spoke with someone else at the address
	NotHome      Kind = "not_home"      // nobody answered
	Moved        Kind = "moved"         // the borrower no longer lives there
	Refused      Kind = "refused"       // the borrower refused to talk
	Incident     Kind = "incident"      // something went wrong: threat, injury, complaint on the spot
	PaidOfficial Kind = "paid_official" // the borrower paid during the visit through an official channel
	Promise      Kind = "promise"       // the borrower promised to pay
	Negotiation  Kind = "negotiation"   // the borrower asked for a repayment plan
)

// Kinds lists every outcome kind.
var Kinds = []Kind{MetBorrower, MetOther, NotHome, Moved, Refused, Incident, PaidOfficial, Promise, Negotiation}

// Outcome is the result of a visit as the pair records it at check-out.
// Which fields are needed depends on the kind (see Validate).
type Outcome struct {
	Kind        Kind              `json:"kind"`
	Note        string            `json:"note"`                  // what was said or seen
	MetWhom     string            `json:"met_whom,omitempty"`    // met_other: their relationship to the borrower
	NewAddress  *borrower.Address `json:"new_address,omitempty"` // moved: where to, when learnt
	Amount      money.Amount      `json:"amount,omitempty"`      // paid_official: paid; promise: promised
	PaymentRef  string            `json:"payment_ref,omitempty"` // paid_official: the official channel's reference
	PromiseDate date.Date         `json:"promise_date,omitempty"`
}

// Validate checks that o carries what its kind needs on a visit made on
// the date on. It returns an Invalid error naming each field at fault:
//   - met_borrower, incident, negotiation: a note;
//   - met_other: a note of what was said and who was met (never the debt
//     itself, which an unrelated third party may not be told);
//   - moved: a new address, when given, with a line and coordinates or none;
//   - paid_official: an amount and the payment's reference (collectors
//     never take money themselves);
//   - promise: an amount and a date no earlier than the visit;
//   - not_home, refused: nothing more.
func (o Outcome) Validate(on date.Date) error {
	var bad []errs.FieldError
	fail := func(field, format string, args ...any) {
		bad = append(bad, errs.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	note := strings.TrimSpace(o.Note) != ""
	switch o.Kind {
	case MetBorrower, Incident, Negotiation:
		if !note {
			fail("note", "is required for %s", o.Kind)
		}
	case MetOther:
		if !note {
			fail("note", "say what was said to whom")
		}
		if strings.TrimSpace(o.MetWhom) == "" {
			fail("met_whom", "is required for met_other")
		}
	case Moved:
		if a := o.NewAddress; a != nil && (strings.TrimSpace(a.Line) == "" || (a.Lat != 0 || a.Lon != 0) && !located(*a)) {
			fail("new_address", "needs a line and, if given, valid coordinates")
		}
		if a := o.NewAddress; a != nil && !slices.Contains([]string{"", "home", "work", "registered"}, strings.TrimSpace(a.Kind)) {
			fail("new_address.kind", "%q is not an address kind; use home, work or registered", a.Kind)
		}
	case PaidOfficial:
		if o.Amount <= 0 {
			fail("amount", "must be above zero")
		}
		if strings.TrimSpace(o.PaymentRef) == "" {
			fail("payment_ref", "is required: payments go through official channels only")
		}
	case Promise:
		if o.Amount <= 0 {
			fail("amount", "must be above zero")
		}
		if o.PromiseDate.IsZero() || o.PromiseDate.Before(on) {
			fail("promise_date", "must be on or after the visit (%s)", on)
		}
	case NotHome, Refused:
	default:
		fail("kind", "%q is not an outcome; use one of %s", o.Kind, kindList())
	}
	if len(bad) > 0 {
		return errs.Fields("The visit outcome is not complete.", bad...)
	}
	return nil
}

func kindList() string {
	s := make([]string, len(Kinds))
	for i, k := range Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}
