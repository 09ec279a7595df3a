package negotiation

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/collect"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/promise"
	"accord/internal/sqlstore"
)

// ErrPromiseNotOpen is returned when cancelling a promise that is no longer
// open.
var ErrPromiseNotOpen = errs.Errorf(errs.Conflict, "The promise is no longer open.")

// MaxNote is the longest note or cancel reason accepted, in characters.
const MaxNote = 2000

// NewPromise is a promise to pay as a collector records it.
type NewPromise struct {
	Amount  money.Amount `json:"amount"`
	Due     date.Date    `json:"due"`
	Channel string       `json:"channel,omitempty"` // call (default), visit, sms, email, portal, bot
	Note    string       `json:"note,omitempty"`
	// LogContact says the promise was made in a contact not logged yet:
	// the contact is logged first, as connected, through the contact
	// governor; a contact the governor refuses records no promise.
	LogContact bool `json:"log_contact,omitempty"`
	// ContactID is the logged contact attempt it was made in, if any.
	ContactID int64 `json:"contact_id,omitempty"`
}

func (np *NewPromise) validate() error {
	var fe []errs.FieldError
	if np.Channel == "" {
		np.Channel = "call"
	}
	channels := promise.Channels
	if np.LogContact {
		channels = []string{"call", "visit", "sms", "email"}
	}
	if !slices.Contains(channels, np.Channel) {
		fe = append(fe, errs.FieldError{Field: "channel", Message: fmt.Sprintf("%q must be one of %s", np.Channel, strings.Join(channels, ", "))})
	}
	if utf8.RuneCountInString(np.Note) > MaxNote {
		fe = append(fe, errs.FieldError{Field: "note", Message: fmt.Sprintf("at most %d characters", MaxNote)})
	}
	if len(fe) > 0 {
		return errs.Fields("The promise is not valid.", fe...)
	}
	return nil
}

func mayTake(by collect.Actor) error {
	if !by.User.Can(auth.PermContactLog) {
		return errs.Errorf(errs.Forbidden, "Your role may not record promises.")
	}
	return nil
}

// RecordPromise records a promise to pay on case caseID, which by must be
// allowed to work (object scope) and which must be open. With
// np.LogContact the contact it was made in is logged first through the
// contact governor (collect.LogCaseContact), and a refusal returns its
// *collect.RefusedError and records no promise. It returns an Invalid error
// naming amount, due, channel or note, Forbidden, NotFound,
// or collect.ErrCaseClosed.
func (s *Service) RecordPromise(ctx context.Context, by collect.Actor, caseID int64, np NewPromise) (promise.Promise, error) {
	if err := np.validate(); err != nil {
		return promise.Promise{}, err
	}
	if err := mayTake(by); err != nil {
		return promise.Promise{}, err
	}
	if err := s.policy.Validate(np.Amount, np.Due, s.Today(), 0); err != nil {
		return promise.Promise{}, err
	}
	if np.LogContact {
		return s.recordInContact(ctx, by, caseID, np)
	}
	var p promise.Promise
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		var err error
		p, err = s.recordPromiseIn(ctx, tx, by, caseID, np)
		return err
	})
	if err != nil {
		return promise.Promise{}, fmt.Errorf("record promise on case %d: %w", caseID, err)
	}
	return p, nil
}

// recordInContact logs the contact the promise was made in; the contact's
// transaction takes the promise through TakeInContact.
func (s *Service) recordInContact(ctx context.Context, by collect.Actor, caseID int64, np NewPromise) (promise.Promise, error) {
	err := s.collect.LogCaseContact(ctx, by, caseID, collect.CaseContact{Channel: np.Channel, Outcome: compliance.Connected,
		PromiseAmount: np.Amount, PromiseDue: np.Due, Note: np.Note})
	if err != nil {
		return promise.Promise{}, renameFields(err, map[string]string{"promise_amount": "amount", "promise_due": "due"})
	}
	var p promise.Promise
	err = s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		list, err := tx.Promises(ctx, sqlstore.PromiseFilter{CaseID: caseID})
		if err != nil {
			return err
		}
		for _, x := range list {
			if x.TakenBy == by.User.Username && x.ContactID != 0 && x.ID > p.ID {
				p = x
			}
		}
		if p.ID == 0 {
			return errs.Errorf(errs.Internal, "The promise of the logged contact was not found.")
		}
		return nil
	})
	return p, err
}

// TakeInContact records the promise made in a contact on case c, inside
// the contact's transaction (collect.Promises). Its field errors are named
// promise_amount and promise_due, as in the contact form.
func (s *Service) TakeInContact(ctx context.Context, tx *sqlstore.Tx, c sqlstore.Case, cp collect.ContactPromise) (int64, error) {
	c, err := tx.Case(ctx, c.ID) // callers may pass only the ids
	if err != nil {
		return 0, err
	}
	p, err := s.take(ctx, tx, c, cp)
	if err != nil {
		return 0, renameFields(err, map[string]string{"amount": "promise_amount", "due": "promise_due"})
	}
	by := collect.Actor{User: auth.User{ID: cp.UserID, Username: cp.TakenBy}}
	return p.ID, tx.AppendAudit(ctx, s.collect.Event(by, "promise.record", "case", strconv.FormatInt(c.ID, 10), auditOf(p)))
}

// take validates and stores a promise on open case c, credits the
// collector, and records it on the timeline and the case.
func (s *Service) take(ctx context.Context, tx *sqlstore.Tx, c sqlstore.Case, cp collect.ContactPromise) (promise.Promise, error) {
	if c.Status != casework.Open {
		return promise.Promise{}, collect.ErrCaseClosed
	}
	if err := s.policy.Validate(cp.Amount, cp.Due, cp.On, c.Balance); err != nil {
		return promise.Promise{}, err
	}
	col, team, err := credit(ctx, tx, cp.UserID, c)
	if err != nil {
		return promise.Promise{}, err
	}
	if cp.Channel == "" {
		cp.Channel = "call"
	}
	p := promise.Promise{CaseID: c.ID, BorrowerID: c.BorrowerID, Amount: cp.Amount, Due: cp.Due, Channel: cp.Channel,
		TakenBy: cp.TakenBy, CollectorID: col, TeamID: team, MadeOn: cp.On, MadeAt: cp.At, ContactID: cp.ContactID,
		Status: promise.Open, Note: maskNote(cp.Note)}
	if err := tx.CreatePromise(ctx, &p); err != nil {
		return p, err
	}
	e := event(p, "made", cp.On, fmt.Sprintf("承诺还款：%s前还%s元（%s，%s）", p.Due, p.Amount, channelZH(p.Channel), p.TakenBy),
		fmt.Sprintf("Promise to pay %s by %s (%s, taken by %s)", p.Amount, p.Due, p.Channel, p.TakenBy), p.TakenBy)
	if _, err := tx.AddCaseEvents(ctx, []sqlstore.CaseEvent{e}); err != nil {
		return p, err
	}
	return p, tx.SyncCasePromise(ctx, c.ID, 0, 0, 0)
}

// credit returns the collector (and team) a promise counts for: the user
// who took it when they are a collector, else the case's collector.
func credit(ctx context.Context, tx *sqlstore.Tx, userID int64, c sqlstore.Case) (int64, int64, error) {
	if userID != 0 {
		col, err := tx.CollectorByUser(ctx, userID)
		if err == nil {
			return col.ID, col.TeamID, nil
		}
		if errs.CodeOf(err) != errs.NotFound {
			return 0, 0, err
		}
	}
	if c.Owner.Kind == casework.ToCollector && c.Owner.ID != 0 {
		col, err := tx.Collector(ctx, c.Owner.ID)
		if err == nil {
			return col.ID, col.TeamID, nil
		}
		if errs.CodeOf(err) != errs.NotFound {
			return 0, 0, err
		}
	}
	return 0, 0, nil
}

// ListPromises returns case caseID's promises, first in first out, if by
// may see the case. It returns NotFound (also outside by's scope).
func (s *Service) ListPromises(ctx context.Context, by collect.Actor, caseID int64) ([]promise.Promise, error) {
	var out []promise.Promise
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		if _, err := s.collect.VisibleCase(ctx, tx, by, caseID); err != nil {
			return err
		}
		var err error
		out, err = tx.Promises(ctx, sqlstore.PromiseFilter{CaseID: caseID})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list promises of case %d: %w", caseID, err)
	}
	return out, nil
}

// CancelPromise cancels open promise id with reason (the borrower withdrew
// it, it was recorded in error), if by may work its case. It returns an
// Invalid error naming reason, Forbidden, NotFound, ErrPromiseNotOpen,
// or collect.ErrCaseClosed.
func (s *Service) CancelPromise(ctx context.Context, by collect.Actor, id int64, reason string) (promise.Promise, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > MaxNote {
		return promise.Promise{}, errs.Field("reason", "a reason needs 1 to %d characters", MaxNote)
	}
	reason = maskNote(reason) // stored on the promise, the timeline and the audit log
	if err := mayTake(by); err != nil {
		return promise.Promise{}, err
	}
	var p promise.Promise
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if p, err = tx.Promise(ctx, id); err != nil {
			return err
		}
		if _, err := s.collect.WorkableCase(ctx, tx, by, p.CaseID); errs.CodeOf(err) == errs.NotFound {
			return errs.Errorf(errs.NotFound, "Promise %d not found.", id) // outside by's scope: as if missing, naming no case
		} else if err != nil {
			return err
		}
		if p.Status != promise.Open {
			return ErrPromiseNotOpen
		}
		p.Status, p.CancelReason = promise.Cancelled, reason
		if err := tx.UpdatePromise(ctx, p); err != nil {
			return err
		}
		today := s.Today()
		e := event(p, "cancelled", today, fmt.Sprintf("承诺还款已取消（%s前还%s元）：%s", p.Due, p.Amount, reason),
			fmt.Sprintf("Promise of %s by %s cancelled: %s", p.Amount, p.Due, reason), by.User.Username)
		if _, err := tx.AddCaseEvents(ctx, []sqlstore.CaseEvent{e}); err != nil {
			return err
		}
		if err := tx.SyncCasePromise(ctx, p.CaseID, 0, 0, 0); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.collect.Event(by, "promise.cancel", "promise", strconv.FormatInt(id, 10),
			map[string]any{"case_id": p.CaseID, "amount": p.Amount, "due": p.Due, "paid": p.Paid, "reason": reason}))
	})
	if err != nil {
		return promise.Promise{}, fmt.Errorf("cancel promise %d: %w", id, err)
	}
	return p, nil
}

// event is a promise's entry on its case's timeline.
func event(p promise.Promise, code string, on date.Date, zh, en, actor string) sqlstore.CaseEvent {
	data := fmt.Sprintf(`{"promise_id":%d,"amount":%q,"due":%q,"paid":%q,"status":%q}`, p.ID, p.Amount, p.Due, p.Paid, p.Status)
	return sqlstore.CaseEvent{CaseID: p.CaseID, BorrowerID: p.BorrowerID, On: on, Kind: sqlstore.EventPromise, Code: code,
		Actor: actor, ZH: zh, EN: en, Data: []byte(data)}
}

func auditOf(p promise.Promise) map[string]any {
	return map[string]any{"promise_id": p.ID, "case_id": p.CaseID, "amount": p.Amount, "due": p.Due, "channel": p.Channel,
		"contact_id": p.ContactID}
}

var channelsZH = map[string]string{"call": "电话", "visit": "外访", "sms": "短信", "email": "邮件", "portal": "自助", "bot": "机器人"}

func channelZH(c string) string {
	if z, ok := channelsZH[c]; ok {
		return z
	}
	return c
}

// renameFields returns err with its field names mapped through names.
func renameFields(err error, names map[string]string) error {
	fs := errs.FieldsOf(err)
	if len(fs) == 0 || errs.CodeOf(err) != errs.Invalid {
		return err
	}
	out := make([]errs.FieldError, len(fs))
	for i, f := range fs {
		if n, ok := names[f.Field]; ok {
			f.Field = n
		}
		out[i] = f
	}
	return errs.Fields(errs.MessageOf(err), out...)
}
