package collect

import (
	"accord/internal/auth"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"accord/internal/casework"
	"accord/internal/classify"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/pii"
	"accord/internal/sqlstore"
)

// MaxNote is the longest note accepted, in characters.
const MaxNote = 2000

// ErrCaseClosed is returned when work is logged on a closed case.
var ErrCaseClosed = errs.Errorf(errs.Conflict, "The case is closed.")

// AddCaseNote adds a note to case id's timeline, with an audit event. It
// returns an Invalid error for an empty or too long note, and NotFound as
// Case does.
func (s *Service) AddCaseNote(ctx context.Context, by Actor, id int64, text string) (sqlstore.CaseEvent, error) {
	text = strings.TrimSpace(text)
	if text == "" || utf8.RuneCountInString(text) > MaxNote {
		return sqlstore.CaseEvent{}, errs.Field("text", "a note needs 1 to %d characters", MaxNote)
	}
	text = pii.MaskFreeText(text) // national ids and phone numbers are never stored in full
	var e sqlstore.CaseEvent
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		c, err := s.workable(ctx, tx, by, id)
		if err != nil {
			return err
		}
		e = sqlstore.CaseEvent{CaseID: id, BorrowerID: c.BorrowerID, On: s.Today(), At: s.now().UTC(), Kind: sqlstore.EventNote,
			Actor: by.User.Username, ZH: text, EN: text}
		if _, err := tx.AddCaseEvents(ctx, []sqlstore.CaseEvent{e}); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "case.note", "case", strconv.FormatInt(id, 10), map[string]any{"characters": utf8.RuneCountInString(text)}))
	})
	if err != nil {
		return sqlstore.CaseEvent{}, fmt.Errorf("add note to case %d: %w", id, err)
	}
	return e, nil
}

// workable loads case id for by to work on: it must exist, be in their
// scope (NotFound otherwise) and be open.
func (s *Service) workable(ctx context.Context, tx *sqlstore.Tx, by Actor, id int64) (sqlstore.Case, error) {
	if err := mayWorkCases(by); err != nil {
		return sqlstore.Case{}, err
	}
	sc, err := s.scopeOf(ctx, tx, by)
	if err != nil {
		return sqlstore.Case{}, err
	}
	if err := reachCase(ctx, tx, sc, id); err != nil {
		return sqlstore.Case{}, err
	}
	c, err := tx.Case(ctx, id)
	if err != nil {
		return c, err
	}
	if c.Status != casework.Open {
		return c, ErrCaseClosed
	}
	return c, nil
}

// CaseContact is a contact attempt logged on a case: its outcome, and for
// a conversation what came of it (a promise to pay, a declared hardship)
// and a note. (The full contact log, checked by the contact governor, is
// kept by the compliance side; this is the case's own record and counters.)
type CaseContact struct {
	Channel       string             `json:"channel"` // call (default), visit, sms, email
	Outcome       compliance.Outcome `json:"outcome"`
	PromiseAmount money.Amount       `json:"promise_amount,omitempty"`
	PromiseDue    date.Date          `json:"promise_due,omitzero"`
	Hardship      string             `json:"hardship,omitempty"` // job_loss, illness, other
	Note          string             `json:"note,omitempty"`
	// To is the number or address used, as the contact log names it:
	// phone:N or email:N of the borrower, contact:ID of a registered
	// contact, or the number itself; the borrower's first phone (first
	// email for email) when empty.
	To string `json:"to,omitempty"`
	// Results are what else came of the contact, in the contact log's
	// terms (compliance.Results: a dispute, a cease request, signs of
	// vulnerability …); they set the borrower's flags. A promise or a
	// hardship above adds its own result.
	Results      []string `json:"results,omitempty"`
	RecordingRef string   `json:"recording_ref,omitempty"`
	// Purpose is why the contact is made, as the governor reads it
	// (compliance.PurposeCollection by default; locate or message for a
	// registered contact, as the contact panel proposes).
	Purpose string `json:"purpose,omitempty"`
}

// CallOutcomes are the outcomes a collector can log for a call.
var CallOutcomes = []compliance.Outcome{compliance.Connected, compliance.NoAnswer, compliance.Busy, compliance.Voicemail,
	compliance.Refused, compliance.InvalidNumber}

// MaxPromiseDays is how far ahead a promise to pay may be dated.
const MaxPromiseDays = 30

func (cc *CaseContact) validate(today date.Date) error {
	var fe []errs.FieldError
	bad := func(field, format string, args ...any) {
		fe = append(fe, errs.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if cc.Channel == "" {
		cc.Channel = "call"
	}
	if !slices.Contains([]string{"call", "visit", "sms", "email"}, cc.Channel) {
		bad("channel", "%q must be call, visit, sms or email", cc.Channel)
	}
	if !slices.Contains(CallOutcomes, cc.Outcome) {
		bad("outcome", "%q must be one of %v", cc.Outcome, CallOutcomes)
	}
	promise := cc.PromiseAmount != 0 || !cc.PromiseDue.IsZero()
	switch {
	case promise && cc.Outcome != compliance.Connected:
		bad("promise_due", "a promise to pay needs a connected conversation")
	case promise && cc.PromiseAmount <= 0:
		bad("promise_amount", "must be positive")
	case promise && (cc.PromiseDue.Before(today) || cc.PromiseDue.After(today.AddDays(MaxPromiseDays))):
		bad("promise_due", "must be from today to %d days ahead", MaxPromiseDays)
	}
	if cc.Hardship != "" && !slices.Contains([]string{classify.HardshipJobLoss, classify.HardshipIllness, classify.HardshipOther}, cc.Hardship) {
		bad("hardship", "%q must be job_loss, illness or other", cc.Hardship)
	}
	if utf8.RuneCountInString(cc.Note) > MaxNote {
		bad("note", "at most %d characters", MaxNote)
	}
	cc.Note = pii.MaskFreeText(cc.Note)
	if len(fe) > 0 {
		return errs.Fields("The contact is not valid.", fe...)
	}
	return nil
}

// LogCaseContact records a contact attempt on case id with the borrower's
// first number (or address): the contact governor checks it first and it
// goes into the contact log like any contact; then the case's counters
// (attempts, connected, last contact, a promise to pay, a hardship), a
// timeline entry, the call task it answers marked done, and an audit event.
// A contact the governor does not allow is recorded as refused and
// LogCaseContact returns a *RefusedError with the decision. It also returns
// an Invalid error naming bad fields, NotFound, or
// ErrCaseClosed.
func (s *Service) LogCaseContact(ctx context.Context, by Actor, id int64, cc CaseContact) error {
	today := s.Today()
	if err := cc.validate(today); err != nil {
		return err
	}
	if !by.User.Can(auth.PermContactLog) {
		return errs.Errorf(errs.Forbidden, "Your role may not record contacts.")
	}
	var refused *RefusedError
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		c, err := s.workable(ctx, tx, by, id)
		if err != nil {
			return err
		}
		to := cc.To
		if to == "" {
			to = "phone:1"
			if cc.Channel == "email" {
				to = "email:1"
			}
		}
		req := ContactRequest{BorrowerID: c.BorrowerID, CaseID: c.ID, Channel: compliance.Channel(cc.Channel), To: to,
			Outcome: cc.Outcome, Notes: cc.Note, Results: caseResults(cc), RecordingRef: strings.TrimSpace(cc.RecordingRef),
			Purpose: cc.Purpose, caseRecorded: true}
		if err := req.normalize(s.now()); err != nil {
			return err
		}
		res, err := s.logContact(ctx, tx, by, req)
		if err != nil {
			return err
		}
		if !res.Attempt.Performed {
			refused = newRefusedError(res.Decision, res.Attempt.ID, res.ApprovalID)
			return nil // commit the refusal: it is evidence
		}
		if err := s.recordContact(ctx, tx, by.User.Username, c, cc, today, s.now().UTC(), by.User.ID, res.Attempt.ID); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "case.contact", "case", strconv.FormatInt(id, 10), map[string]any{
			"channel": cc.Channel, "outcome": cc.Outcome, "promise_amount": cc.PromiseAmount, "promise_due": cc.PromiseDue,
			"hardship": cc.Hardship}))
	})
	if err != nil {
		return fmt.Errorf("log contact on case %d: %w", id, err)
	}
	if refused != nil {
		return refused
	}
	return nil
}

// caseResults names what came of a case contact in the contact log's terms.
func caseResults(cc CaseContact) []string {
	out := slices.Clone(cc.Results)
	if !cc.PromiseDue.IsZero() && !slices.Contains(out, compliance.ResultPromise) {
		out = append(out, compliance.ResultPromise)
	}
	if cc.Hardship != "" && !slices.Contains(out, compliance.ResultHardship) {
		out = append(out, compliance.ResultHardship)
	}
	return out
}

// recordContact writes a contact on case c; the simulation uses it too. A
// promise to pay becomes a promise record in the promise book, made by
// user userID in contact attempt contactID (0 when not known).
func (s *Service) recordContact(ctx context.Context, tx *sqlstore.Tx, actor string, c sqlstore.Case, cc CaseContact, on date.Date,
	at time.Time, userID, contactID int64) error {
	connected := cc.Outcome == compliance.Connected
	u := sqlstore.CaseContactUpdate{At: at, On: on, Connected: connected, CostAdded: s.cycle.Costs.Call}
	if cc.Hardship != "" {
		u.Hardship = &cc.Hardship
	}
	if err := tx.RecordCaseContact(ctx, c.ID, u); err != nil {
		return err
	}
	if !cc.PromiseDue.IsZero() {
		if s.promises == nil {
			return ErrNoPromiseBook
		}
		if _, err := s.promises.TakeInContact(ctx, tx, c, ContactPromise{Amount: cc.PromiseAmount, Due: cc.PromiseDue,
			Channel: cc.Channel, TakenBy: actor, UserID: userID, ContactID: contactID, Note: cc.Note, On: on, At: at}); err != nil {
			return err
		}
	}
	zh := fmt.Sprintf("%s：%s", channelZH[compliance.Channel(cc.Channel)], outcomeZH(cc.Outcome))
	en := fmt.Sprintf("%s: %s", cc.Channel, cc.Outcome)
	if !cc.PromiseDue.IsZero() {
		zh += fmt.Sprintf("，承诺%s前还款%s元", cc.PromiseDue, cc.PromiseAmount)
		en += fmt.Sprintf(", promised %s by %s", cc.PromiseAmount, cc.PromiseDue)
	}
	if cc.Hardship != "" {
		zh += "，申报困难：" + hardshipZH[cc.Hardship]
		en += ", declared hardship: " + cc.Hardship
	}
	if cc.Note != "" {
		zh += "。" + cc.Note
		en += ". " + cc.Note
	}
	e := sqlstore.CaseEvent{CaseID: c.ID, BorrowerID: c.BorrowerID, On: on, At: at, Kind: sqlstore.EventContact,
		Code: string(cc.Outcome), Actor: actor, ZH: zh, EN: en}
	if _, err := tx.AddCaseEvents(ctx, []sqlstore.CaseEvent{e}); err != nil {
		return err
	}
	if cc.Channel != "call" {
		return nil
	}
	open, err := tx.OpenTasks(ctx, []int64{c.ID})
	if err != nil {
		return err
	}
	var done []int64
	for _, t := range open[c.ID] {
		if t.Kind == sqlstore.TaskCall {
			done = append(done, t.ID)
		}
	}
	_, err = tx.CloseTasks(ctx, done, sqlstore.TaskDone, string(cc.Outcome))
	return err
}
