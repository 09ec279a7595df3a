package negotiation

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// The support programme (帮扶计划) for borrowers willing to pay but in a
// temporary hardship: enrolment sets the borrower flag FlagSupport (which
// strategies see as `"support_programme" in flags`, e.g. to route the case
// to SupportQueue and hold pressure) and puts a task for the support team
// in SupportQueue.
const (
	FlagSupport  = "support_programme"
	SupportQueue = "support"
	TaskSupport  = "support"
)

// ErrSupportState is returned when enrolling a borrower already enrolled or
// ending an enrolment that is not there.
var ErrSupportState = errs.Errorf(errs.Conflict, "The borrower is not in the expected support programme state.")

// Support is an enrolment in the support programme.
type Support struct {
	Reason string    `json:"reason"` // the hardship, as the borrower told it
	Until  date.Date `json:"until"`  // when the hardship is expected to end: the programme is reviewed then
}

func (sp Support) validate(today date.Date) error {
	var fe []errs.FieldError
	if n := utf8.RuneCountInString(strings.TrimSpace(sp.Reason)); n == 0 || n > MaxNote {
		fe = append(fe, errs.FieldError{Field: "reason", Message: fmt.Sprintf("needs 1 to %d characters", MaxNote)})
	}
	if !sp.Until.After(today) || sp.Until.After(today.AddMonthsClamped(12)) {
		fe = append(fe, errs.FieldError{Field: "until", Message: "must be after today and at most 12 months ahead"})
	}
	if len(fe) > 0 {
		return errs.Fields("The support enrolment is not valid.", fe...)
	}
	return nil
}

// EnrollSupport enrols the borrower of case caseID, which by must be
// allowed to work, in the support programme: the borrower flag, a task in
// the support queue due on the review date, a case event and the audit
// event, in one transaction. It returns Invalid naming reason or until,
// Forbidden, NotFound, collect.ErrCaseClosed, or ErrSupportState when the
// borrower is already enrolled.
func (s *Service) EnrollSupport(ctx context.Context, by collect.Actor, caseID int64, sp Support) error {
	today := s.Today()
	if err := sp.validate(today); err != nil {
		return err
	}
	if err := mayTake(by); err != nil {
		return err
	}
	sp.Reason = maskNote(strings.TrimSpace(sp.Reason)) // stored on the case, its review task and the audit log
	return s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		c, err := s.collect.WorkableCase(ctx, tx, by, caseID)
		if err != nil {
			return err
		}
		if err := s.supportFlag(ctx, tx, c.BorrowerID, true); err != nil {
			return err
		}
		if _, err := tx.InsertTasks(ctx, []sqlstore.Task{{CaseID: c.ID, BorrowerID: c.BorrowerID, Kind: TaskSupport,
			Queue: SupportQueue, DueOn: sp.Until, Rule: "support_programme", CreatedOn: today,
			Detail:   fmt.Sprintf("帮扶计划复核 / Support programme review (%s): %s", sp.Until, sp.Reason),
			DedupKey: fmt.Sprintf("support:%d:%s", c.ID, today)}}); err != nil {
			return err
		}
		return s.supportEvent(ctx, tx, by, c, today, "support.enrolled",
			fmt.Sprintf("加入帮扶计划至 %s：%s", sp.Until, sp.Reason), fmt.Sprintf("Enrolled in the support programme until %s: %s", sp.Until, sp.Reason),
			map[string]any{"case_id": c.ID, "until": sp.Until, "reason": sp.Reason})
	})
}

// LeaveSupport ends the borrower's enrolment (case caseID): the flag is
// removed, with a case event and the audit event. It returns the errors of
// EnrollSupport, ErrSupportState when the borrower is not enrolled.
func (s *Service) LeaveSupport(ctx context.Context, by collect.Actor, caseID int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > MaxNote {
		return errs.Field("reason", "a reason needs 1 to %d characters", MaxNote)
	}
	reason = maskNote(reason)
	if err := mayTake(by); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		c, err := s.collect.WorkableCase(ctx, tx, by, caseID)
		if err != nil {
			return err
		}
		if err := s.supportFlag(ctx, tx, c.BorrowerID, false); err != nil {
			return err
		}
		return s.supportEvent(ctx, tx, by, c, s.Today(), "support.left", "退出帮扶计划："+reason,
			"Left the support programme: "+reason, map[string]any{"case_id": c.ID, "reason": reason})
	})
}

// supportFlag sets (on) or removes the support flag; it returns
// ErrSupportState when the flag is already as asked.
func (s *Service) supportFlag(ctx context.Context, tx *sqlstore.Tx, borrowerID int64, on bool) error {
	b, err := tx.Borrower(ctx, borrowerID)
	if err != nil {
		return err
	}
	if slices.Contains(b.Flags, FlagSupport) == on {
		return ErrSupportState
	}
	if on {
		return s.setFlags(ctx, tx, borrowerID, FlagSupport, "")
	}
	return s.setFlags(ctx, tx, borrowerID, "", FlagSupport)
}

func (s *Service) supportEvent(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, c sqlstore.Case, on date.Date, code, zh, en string, summary map[string]any) error {
	if _, err := tx.AddCaseEvents(ctx, []sqlstore.CaseEvent{{CaseID: c.ID, BorrowerID: c.BorrowerID, On: on, Kind: EventPlan,
		Code: code, Actor: by.User.Username, ZH: zh, EN: en}}); err != nil {
		return err
	}
	return tx.AppendAudit(ctx, s.collect.Event(by, code, "borrower", strconv.FormatInt(c.BorrowerID, 10), summary))
}
