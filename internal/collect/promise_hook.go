package collect

import (
	"context"
	"errors"
	"time"

	"accord/internal/audit"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/sqlstore"
)

// Promises is the promise book: package negotiation keeps promises to pay
// and implements it; cmd/accord wires it with UsePromises. collect calls it
// inside its own transactions, so that a promise taken in a contact, a
// payment matched to promises and the change that caused it commit
// together. (negotiation imports collect, not the other way round.)
type Promises interface {
	// TakeInContact records the promise made in a contact on case c and
	// returns its id. It returns an Invalid error naming promise_amount or
	// promise_due when the promise breaks the policy.
	TakeInContact(ctx context.Context, tx *sqlstore.Tx, c sqlstore.Case, p ContactPromise) (int64, error)
	// MatchPayment credits payment p, of borrower borrowerID, to their open
	// promises; matching a payment twice changes nothing.
	MatchPayment(ctx context.Context, tx *sqlstore.Tx, borrowerID int64, p ledger.Payment) error
	// UnmatchPayment takes reversed payment p back from the promises it
	// was credited to.
	UnmatchPayment(ctx context.Context, tx *sqlstore.Tx, borrowerID int64, p ledger.Payment) error
	// JudgePromises judges every open promise due before asOf (kept,
	// partly kept, broken) and returns how many it judged; a re-run of the
	// date judges nothing more. The nightly run calls it before casework.
	JudgePromises(ctx context.Context, asOf date.Date) (int, error)
}

// ContactPromise is a promise to pay made in a contact.
type ContactPromise struct {
	Amount    money.Amount
	Due       date.Date
	Channel   string
	TakenBy   string // username, or the simulation's collector name
	UserID    int64  // the signed-in user who took it; 0 for none
	ContactID int64  // the contact attempt it was made in; 0 when not logged
	Note      string
	On        date.Date
	At        time.Time
}

// ErrNoPromiseBook is returned when a promise is made but no promise book
// is wired (a Service built without UsePromises).
var ErrNoPromiseBook = errs.Fields("The contact is not valid.",
	errs.FieldError{Field: "promise_due", Message: "promises to pay are not kept by this service"})

// UsePromises wires the promise book. Call it once, before the service is
// used.
func (s *Service) UsePromises(p Promises) { s.promises = p }

// Store returns the database the service works on, for the use-case
// packages built beside it (negotiation).
func (s *Service) Store() *sqlstore.DB { return s.db }

// Now returns the service clock's current time.
func (s *Service) Now() time.Time { return s.now() }

// Zone returns the lender's business time zone.
func (s *Service) Zone() *time.Location { return s.zone }

// WorkableCase loads case id in tx for by to work on: it must exist, be
// one by may work (object scope) and be open. It returns NotFound (also
// outside by's scope) or ErrCaseClosed.
func (s *Service) WorkableCase(ctx context.Context, tx *sqlstore.Tx, by Actor, id int64) (sqlstore.Case, error) {
	return s.workable(ctx, tx, by, id)
}

// VisibleCase loads case id in tx if by may see it (their object scope),
// open or closed. It returns the errors of WorkableCase but ErrCaseClosed.
func (s *Service) VisibleCase(ctx context.Context, tx *sqlstore.Tx, by Actor, id int64) (sqlstore.Case, error) {
	c, err := s.workable(ctx, tx, by, id)
	if errors.Is(err, ErrCaseClosed) {
		return c, nil
	}
	return c, err
}

// Event builds an audit event stamped with the service clock, as every
// use case of collect does.
func (s *Service) Event(by Actor, action, entityType, entityID string, summary any) audit.Event {
	return s.event(by, action, entityType, entityID, summary)
}

// PromiseBook returns the promise book wired with UsePromises, or nil.
func (s *Service) PromiseBook() Promises { return s.promises }
