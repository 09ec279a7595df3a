package collect

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"accord/internal/auth"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/outbox"
	"accord/internal/sqlstore"
)

// ContactResult is what logging or checking a contact produced.
type ContactResult struct {
	Attempt  sqlstore.ContactAttempt `json:"attempt"`
	Decision compliance.Decision     `json:"decision"`
	// ApprovalID is the approval request a contact that needs approval
	// waits on (new or already pending).
	ApprovalID int64 `json:"approval_id,omitempty"`
	// NextAllowed is when a contact refused only by time (quiet hours,
	// holiday, daily caps) would first be allowed.
	NextAllowed time.Time `json:"next_allowed,omitzero"`
	FlagsAdded  []string  `json:"flags_added,omitempty"`
	// PromiseID is the promise to pay recorded with the contact, if any.
	PromiseID int64 `json:"promise_id,omitempty"`
}

// RefusedError is returned when the governor did not allow a contact. Its
// code is Forbidden for a block and Conflict for a contact waiting on an
// approval; Decision says why, in Chinese and English, rule by rule.
type RefusedError struct {
	Decision   compliance.Decision
	AttemptID  int64
	ApprovalID int64
	err        *errs.Error
}

func (e *RefusedError) Error() string { return e.err.Error() }
func (e *RefusedError) Unwrap() error { return e.err }

func newRefusedError(d compliance.Decision, attemptID, approvalID int64) *RefusedError {
	e := &RefusedError{Decision: d, AttemptID: attemptID, ApprovalID: approvalID}
	if d.Action == compliance.Approval {
		e.err = errs.Errorf(errs.Conflict, "The contact needs approval first (request %d): %s", approvalID, d.Reasons.EN)
	} else {
		e.err = errs.Errorf(errs.Forbidden, "The contact governor refused the contact: %s", d.Reasons.EN)
	}
	return e
}

// inboundDecision is the decision recorded for a contact the borrower or a third
// party started: the governor judges what we do, not what others do.
var inboundDecision = compliance.Decision{Action: compliance.Allow, Rules: []string{}, Details: []compliance.Detail{},
	Reasons: compliance.Text{ZH: "对方来电或来信，无需预先审查。", EN: "Inbound contact; nothing to check beforehand."}}

// LogContact records a contact in the contact log after asking the
// governor about it, in one transaction. An inbound contact is recorded as
// it is. An outbound one is checked with the borrower's facts and history
// as they are now; if the governor does not allow it, the refusal is
// recorded (as evidence, counting toward no limit) and LogContact returns
// a *RefusedError (Forbidden, or Conflict with an approval request for a
// contact that needs one). An approved request that matches is used by the
// contact. Results such as a dispute, a cease request or signs of
// vulnerability set the borrower's flags; a decision that routes the
// borrower to the specialist queue is recorded. Everything is audited.
//
// The attempt comes back with its address masked only. It returns
// Forbidden unless by holds contact:log, and an Invalid error for a
// malformed request.
func (s *Service) LogContact(ctx context.Context, by Actor, req ContactRequest) (ContactResult, error) {
	if !by.User.Can(auth.PermContactLog) {
		return ContactResult{}, errs.Errorf(errs.Forbidden, "Your role may not record contacts.")
	}
	if err := req.normalize(s.now()); err != nil {
		return ContactResult{}, err
	}
	var res ContactResult
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		var err error
		res, err = s.logContact(ctx, tx, by, req)
		return err
	})
	if err != nil {
		return ContactResult{}, fmt.Errorf("log contact with borrower %d: %w", req.BorrowerID, err)
	}
	res.Attempt.Address = "" // AddressMasked shows it
	if !res.Attempt.Performed {
		return res, newRefusedError(res.Decision, res.Attempt.ID, res.ApprovalID)
	}
	return res, nil
}

func (s *Service) logContact(ctx context.Context, tx *sqlstore.Tx, by Actor, req ContactRequest) (ContactResult, error) {
	var res ContactResult
	// The scope first, on the records the request names: a refusal must
	// tell nothing about a case or borrower outside it.
	if err := s.mayContact(ctx, tx, by, req.BorrowerID, req.CaseID); err != nil {
		return res, err
	}
	if err := caseBorrower(ctx, tx, &req.BorrowerID, req.CaseID); err != nil {
		return res, err
	}
	r, err := s.contactRules(ctx, tx)
	if err != nil {
		return res, err
	}
	f, err := s.loadFacts(ctx, tx, r, req.BorrowerID, req.StartedAt)
	if err != nil {
		return res, err
	}
	rc, err := req.resolve(&f)
	if err != nil {
		return res, err
	}
	a := sqlstore.ContactAttempt{BorrowerID: req.BorrowerID, CaseID: req.CaseID, LoanID: req.LoanID, ContactID: rc.contactID,
		Channel: req.Channel, Direction: req.Direction, Party: req.Party, Relationship: rc.relationship, Address: rc.address,
		By: contactOrg(by.User), AgencyID: by.User.AgencyID, TeamID: by.User.TeamID, UserID: by.User.ID, Username: by.User.Username,
		Purpose: req.Purpose, StartedAt: req.StartedAt, EndedAt: req.EndedAt, Outcome: req.Outcome, Results: req.Results,
		Notes: req.Notes, RecordingRef: req.RecordingRef}
	if req.TextSource != "note" {
		a.Content = req.Text
	}
	var approvalID int64
	if req.Direction == "inbound" {
		a.Decision = inboundDecision
	} else {
		var approved []string
		ok, err := tx.MatchingApprovals(ctx, req.BorrowerID, req.Channel, req.Party, rc.address, req.StartedAt, sqlstore.ApprovalApproved)
		if err != nil {
			return res, err
		}
		if len(ok) > 0 {
			approvalID, approved = ok[0].ID, []string{ok[0].DecidedRole}
		}
		p := req.proposal(by.User, rc, approved)
		a.Decision = r.check(&f, p)
		if !a.Decision.Allowed() && compliance.Waitable(a.Decision) {
			res.NextAllowed = r.nextAllowed(&f, p, outbox.MaxHold)
		}
	}
	a.Performed, a.Route = a.Decision.Allowed(), a.Decision.Route
	if !a.Performed {
		a.Outcome, a.Results, a.EndedAt, a.ApprovalID = "", nil, time.Time{}, 0
	} else {
		a.ApprovalID = approvalID
	}
	if err := tx.CreateContactAttempt(ctx, &a); err != nil {
		return res, err
	}
	res.Attempt, res.Decision = a, a.Decision
	if a.Performed && approvalID != 0 {
		if err := tx.UseApproval(ctx, approvalID, a.ID); err != nil {
			return res, err
		}
	}
	if a.Decision.Action == compliance.Approval {
		if res.ApprovalID, err = s.requestApproval(ctx, tx, by, &req, rc, a.Decision); err != nil {
			return res, err
		}
	}
	if a.Performed {
		if res.FlagsAdded, err = s.applyResults(ctx, tx, by, &f, &a); err != nil {
			return res, err
		}
		if !req.caseRecorded {
			if err := s.recordCaseContact(ctx, tx, by, &a); err != nil {
				return res, err
			}
		}
		if req.Promise != nil {
			if res.PromiseID, err = s.takeContactPromise(ctx, tx, by, req.Promise, &a); err != nil {
				return res, err
			}
		}
	}
	if err := s.recordRoute(ctx, tx, by, &a); err != nil {
		return res, err
	}
	return res, tx.AppendAudit(ctx, s.event(by, "contact.log", "contact_attempt", strconv.FormatInt(a.ID, 10), attemptSummary(&a)))
}

// attemptSummary is what the audit log keeps of a contact: no address, no
// notes (the contact log has them).
func attemptSummary(a *sqlstore.ContactAttempt) map[string]any {
	return map[string]any{"borrower_id": a.BorrowerID, "case_id": a.CaseID, "channel": a.Channel, "direction": a.Direction,
		"party": a.Party, "by": a.By, "performed": a.Performed, "decision": a.Action, "rules": a.Rules,
		"outcome": a.Outcome, "results": a.Results, "message_id": a.MessageID}
}

// applyResults sets the borrower flags that the results of contact a call
// for (a dispute, a cease request, vulnerability …) and audits the change.
func (s *Service) applyResults(ctx context.Context, tx *sqlstore.Tx, by Actor, f *borrowerFacts, a *sqlstore.ContactAttempt) ([]string, error) {
	after, added := compliance.FlagsAfter(f.b.Flags, a.Results, a.Channel)
	if len(added) == 0 {
		return nil, nil
	}
	if _, err := tx.UpdateBorrower(ctx, a.BorrowerID, sqlstore.BorrowerUpdate{Flags: &after}); err != nil {
		return nil, err
	}
	f.b.Flags = after
	return added, tx.AppendAudit(ctx, s.event(by, "borrower.flags", "borrower", strconv.FormatInt(a.BorrowerID, 10),
		map[string]any{"before": nonNilList(f.in.Borrower.Flags), "after": after, "added": added,
			"source": "contact_attempt:" + strconv.FormatInt(a.ID, 10)}))
}

// recordRoute audits a decision that routes the borrower elsewhere (the
// specialist queue for a vulnerable borrower), with the case event when the
// contact belongs to a case.
func (s *Service) recordRoute(ctx context.Context, tx *sqlstore.Tx, by Actor, a *sqlstore.ContactAttempt) error {
	if a.Route == "" {
		return nil
	}
	if err := s.routeCaseEvent(ctx, tx, by, a); err != nil {
		return err
	}
	return tx.AppendAudit(ctx, s.event(by, "contact.route", "borrower", strconv.FormatInt(a.BorrowerID, 10),
		map[string]any{"route": a.Route, "case_id": a.CaseID, "attempt_id": a.ID, "rules": a.Rules}))
}

func nonNilList(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// LogContactKeyed is LogContact honouring an Idempotency-Key: a retry with
// the same key and request returns the first outcome — the recorded contact,
// or the same refusal — without recording anything again; the same key with
// a different request is a Conflict. An empty key is plain LogContact.
func (s *Service) LogContactKeyed(ctx context.Context, by Actor, key string, req ContactRequest) (ContactResult, error) {
	if key == "" {
		return s.LogContact(ctx, by, req)
	}
	var res ContactResult
	status, _, err := s.idempotent(ctx, keyScope(by, "POST /api/v1/contacts"), key, req, &res, func() (any, int, error) {
		res, err := s.LogContact(ctx, by, req)
		var refused *RefusedError
		if errors.As(err, &refused) {
			return res, int(refusalStatus(refused)), nil
		}
		return res, 201, err
	})
	if err != nil {
		return ContactResult{}, err
	}
	if status != 201 {
		return res, newRefusedError(res.Decision, res.Attempt.ID, res.ApprovalID)
	}
	return res, nil
}

// refusalStatus is the HTTP status a refusal is answered with.
func refusalStatus(e *RefusedError) int {
	if e.Decision.Action == compliance.Approval {
		return 409
	}
	return 403
}

// takeContactPromise records promise p made in contact a, on a's case,
// through the promise book, in the contact's transaction: a promise the
// policy refuses fails the contact too.
func (s *Service) takeContactPromise(ctx context.Context, tx *sqlstore.Tx, by Actor, p *PromiseRequest, a *sqlstore.ContactAttempt) (int64, error) {
	if s.promises == nil {
		return 0, ErrNoPromiseBook
	}
	c, err := tx.Case(ctx, a.CaseID)
	if err != nil {
		return 0, err
	}
	return s.promises.TakeInContact(ctx, tx, c, ContactPromise{Amount: p.Amount, Due: p.Due, Channel: string(a.Channel),
		TakenBy: by.User.Username, UserID: by.User.ID, ContactID: a.ID, Note: a.Notes,
		On: date.FromTime(a.StartedAt.In(s.zone)), At: s.now().UTC()})
}
