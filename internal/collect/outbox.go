package collect

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"accord/internal/auth"
	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/outbox"
	"accord/internal/pii"
	"accord/internal/sqlstore"
)

// QueueMessage asks the governor about m as it would go out now and puts
// it in the outbox in tx, the caller's transaction (the nightly run's, or
// any use case's), so the message exists if and only if the action that
// created it commits. It is idempotent by m.DedupKey: a message already
// queued under the key is loaded into m and created is false.
//
//   - allowed now: queued;
//   - allowed later, once only time has passed (a reminder computed at
//     02:00 waits for 08:00; a human message on a holiday for the next
//     working day): held until then;
//   - never (a vulnerable borrower in an automated campaign, a cease
//     request, abusive text …): blocked, and the refusal is recorded in the
//     contact log.
//
// The sender asks the governor again at send time, with the history as it
// is then. m.Decision holds the answer.
func (s *Service) QueueMessage(ctx context.Context, tx *sqlstore.Tx, m *outbox.Message) (created bool, err error) {
	if err := m.Validate(); err != nil {
		return false, err
	}
	r, err := s.contactRules(ctx, tx)
	if err != nil {
		return false, err
	}
	now := s.now().UTC()
	f, err := s.loadFacts(ctx, tx, r, m.BorrowerID, now)
	if err != nil {
		return false, fmt.Errorf("queue message %q: %w", m.DedupKey, err)
	}
	if m.Status == "" {
		m.Status = outbox.Queued
	}
	m.CreatedAt = now
	p := outbox.Proposal(m, now)
	d := r.check(&f, p)
	var next time.Time
	if !d.Allowed() && compliance.Waitable(d) {
		next = r.nextAllowed(&f, p, outbox.MaxHold)
	}
	outbox.Govern(m, d, next, now)
	if created, err = tx.EnqueueMessage(ctx, m); err != nil || !created {
		return created, err
	}
	if m.Status == outbox.Blocked {
		if err := s.logMessage(ctx, tx, m, now, false, ""); err != nil {
			return true, err
		}
	}
	return true, nil
}

// MessageRequest is a message a person writes to a borrower from the
// console or the API. To may be a reference ("phone:1", "email:1") or an
// address of the borrower's.
type MessageRequest struct {
	BorrowerID int64          `json:"borrower_id"`
	CaseID     int64          `json:"case_id,omitempty"`
	LoanID     int64          `json:"loan_id,omitempty"`
	Channel    outbox.Channel `json:"channel"`
	To         string         `json:"to"`
	Subject    string         `json:"subject,omitempty"`
	Body       string         `json:"body"`
	Lang       string         `json:"lang,omitempty"`
	Purpose    string         `json:"purpose,omitempty"`
	// Key makes the request idempotent: the same key queues one message.
	Key string `json:"key,omitempty"`
}

// SendMessage queues a message a person wrote, after the governor allowed
// it now; a message the governor refuses is not queued, the refusal is
// recorded, and SendMessage returns a *RefusedError (Forbidden). The sender
// checks it again when it goes out. It returns Forbidden unless by holds
// contact:log and Invalid for a malformed message.
func (s *Service) SendMessage(ctx context.Context, by Actor, req MessageRequest) (outbox.Message, error) {
	if !by.User.Can(auth.PermContactLog) {
		return outbox.Message{}, errs.Errorf(errs.Forbidden, "Your role may not send messages.")
	}
	key := req.Key
	if key == "" {
		key = randomKey()
	}
	m := outbox.Message{BorrowerID: req.BorrowerID, CaseID: req.CaseID, LoanID: req.LoanID, Channel: req.Channel,
		Subject: req.Subject, Body: req.Body, Lang: req.Lang, Purpose: req.Purpose, By: contactOrg(by.User), UserID: by.User.ID,
		DedupKey: "user:" + strconv.FormatInt(by.User.ID, 10) + ":" + key}
	if m.Purpose == "" {
		m.Purpose = compliance.PurposeCollection
	}
	var refusal *RefusedError
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		// The scope first, on the records the request names: a refusal must
		// tell nothing about a case or borrower outside it.
		if err := s.mayContact(ctx, tx, by, req.BorrowerID, req.CaseID); err != nil {
			return err
		}
		if err := caseBorrower(ctx, tx, &req.BorrowerID, req.CaseID); err != nil {
			return err
		}
		m.BorrowerID = req.BorrowerID
		r, err := s.contactRules(ctx, tx)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		f, err := s.loadFacts(ctx, tx, r, req.BorrowerID, now)
		if err != nil {
			return err
		}
		cr := ContactRequest{BorrowerID: req.BorrowerID, To: req.To, Party: compliance.ToBorrower}
		rc, err := cr.resolve(&f)
		if err != nil {
			return err
		}
		m.To = rc.address
		if err := m.Validate(); err != nil {
			return err
		}
		m.Decision = r.check(&f, outbox.Proposal(&m, now))
		if !m.Decision.Allowed() {
			m.Status = outbox.Blocked
			a := messageAttempt(&m, now, false, "")
			if err := tx.CreateContactAttempt(ctx, &a); err != nil {
				return err
			}
			refusal = newRefusedError(m.Decision, a.ID, 0)
			return tx.AppendAudit(ctx, s.event(by, "contact.log", "contact_attempt", strconv.FormatInt(a.ID, 10), attemptSummary(&a)))
		}
		created, err := tx.EnqueueMessage(ctx, &m)
		if err != nil || !created {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "message.queue", "message", strconv.FormatInt(m.ID, 10),
			map[string]any{"borrower_id": m.BorrowerID, "channel": m.Channel, "decision": m.Decision.Action, "rules": m.Decision.Rules}))
	})
	if err != nil {
		return outbox.Message{}, fmt.Errorf("send message to borrower %d: %w", req.BorrowerID, err)
	}
	m.To = maskTo(m.Channel, m.To)
	if refusal != nil {
		return m, refusal
	}
	return m, nil
}

func randomKey() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Messages returns a page of outbox messages f selects, addresses masked,
// newest first, with the total: only messages to borrowers in by's scope.
// It returns Forbidden unless by may record contacts or read compliance
// records.
func (s *Service) Messages(ctx context.Context, by Actor, f sqlstore.MessageFilter) ([]outbox.Message, int, error) {
	if !by.User.Can(auth.PermContactLog) && !by.User.Can(auth.PermComplianceRead) {
		return nil, 0, errs.Errorf(errs.Forbidden, "Your role may not see messages.")
	}
	var list []outbox.Message
	var total int
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		sc, err := s.scopeOf(ctx, tx, by)
		if err != nil {
			return err
		}
		f.Scope = &sc
		list, total, err = tx.Messages(ctx, f)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list messages: %w", err)
	}
	for i := range list {
		list[i].To = maskTo(list[i].Channel, list[i].To)
	}
	return list, total, nil
}

func maskTo(ch outbox.Channel, to string) string {
	if ch == outbox.Email {
		return maskEmail(to)
	}
	return pii.MaskPhone(to)
}

// messageAttempt is the contact log entry of message m at at: sent
// (performed) or refused.
func messageAttempt(m *outbox.Message, at time.Time, performed bool, outcome compliance.Outcome) sqlstore.ContactAttempt {
	a := sqlstore.ContactAttempt{BorrowerID: m.BorrowerID, CaseID: m.CaseID, LoanID: m.LoanID, MessageID: m.ID,
		Channel: compliance.Channel(m.Channel), Direction: "outbound", Party: compliance.ToBorrower, Address: m.To,
		By: m.By, UserID: m.UserID, Automated: m.Automated(), Purpose: m.Purpose, StartedAt: at, Performed: performed,
		Outcome: outcome, Decision: m.Decision, Route: m.Decision.Route, Notes: m.TemplateID, Content: m.StoredBody()}
	if m.Subject != "" {
		a.Content = m.Subject + "\n" + m.StoredBody()
	}
	if a.By == "" {
		a.By = "system"
	}
	if a.Purpose == "" {
		a.Purpose = compliance.PurposeReminder
	}
	return a
}

// logMessage records message m in the contact log: sent (performed, with
// its outcome) or refused by the governor. A message already logged is
// left alone. A decision that routes the borrower is recorded.
func (s *Service) logMessage(ctx context.Context, tx *sqlstore.Tx, m *outbox.Message, at time.Time, performed bool,
	outcome compliance.Outcome) error {
	a := messageAttempt(m, at, performed, outcome)
	if err := tx.CreateContactAttempt(ctx, &a); err != nil {
		if errs.CodeOf(err) == errs.Conflict {
			return nil
		}
		return err
	}
	return s.recordRoute(ctx, tx, System("sender"), &a)
}
