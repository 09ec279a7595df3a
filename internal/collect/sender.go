package collect

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"accord/internal/auth"
	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/outbox"
	"accord/internal/sqlstore"
)

// The sender's use cases: jobs.Sender claims due messages here, hands the
// cleared ones to the provider, and reports back with MessageSent or
// MessageFailed. The outbox id travels with each message as the provider's
// idempotency key, so a message handed over twice (after a crash between
// sending and MessageSent) is delivered once.

// ClaimMessages claims up to limit due messages for one sender, each for
// lease, and asks the governor about every one of them again, as it would
// go out now and with the borrower's contact history as it is now. It
// returns the messages cleared to send (still claimed: report each with
// MessageSent or MessageFailed) and how many it claimed in all. The others
// are held until the borrower's window opens, or blocked for good and
// recorded in the contact log as refused; waiting does not use up an
// attempt. All in one transaction.
func (s *Service) ClaimMessages(ctx context.Context, limit int, lease time.Duration) (ready []outbox.Message, n int, err error) {
	now := s.now().UTC()
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		ready, n = nil, 0
		claimed, err := tx.ClaimMessages(ctx, now, limit, lease)
		if err != nil || len(claimed) == 0 {
			return err
		}
		n = len(claimed)
		r, err := s.contactRules(ctx, tx)
		if err != nil {
			return err
		}
		known := map[int64]*borrowerFacts{}
		for _, m := range claimed {
			f, ok := known[m.BorrowerID]
			if !ok {
				loaded, err := s.loadFacts(ctx, tx, r, m.BorrowerID, now)
				if err != nil {
					return fmt.Errorf("message %d: %w", m.ID, err)
				}
				f, known[m.BorrowerID] = &loaded, &loaded
			}
			send, err := s.recheck(ctx, tx, r, f, &m, now)
			if err != nil {
				return fmt.Errorf("message %d: %w", m.ID, err)
			}
			if send {
				// The code of a sign-in or acceptance SMS goes into the
				// text only here, for the provider (outbox.Message.Secret).
				if err := tx.RenderMessageSecret(ctx, &m); err != nil {
					return fmt.Errorf("message %d: %w", m.ID, err)
				}
				ready = append(ready, m)
			}
		}
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("claim messages: %w", err)
	}
	return ready, n, nil
}

// recheck applies the governor's answer at send time to claimed message m
// and reports whether it may go now.
func (s *Service) recheck(ctx context.Context, tx *sqlstore.Tx, r govRules, f *borrowerFacts, m *outbox.Message, now time.Time) (bool, error) {
	claim := m.Attempts
	p := outbox.Proposal(m, now)
	d := r.check(f, p)
	var next time.Time
	if !d.Allowed() && compliance.Waitable(d) {
		next = r.nextAllowed(f, p, outbox.MaxHold)
	}
	send := outbox.Govern(m, d, next, now)
	if m.Status == outbox.Held {
		m.Attempts-- // waiting for the window is not a delivery attempt
	}
	if err := tx.UpdateMessage(ctx, m, outbox.Sending, claim); err != nil {
		return false, err
	}
	m.Attempts = claim
	if m.Status == outbox.Blocked {
		return false, s.logMessage(ctx, tx, m, now, false, "")
	}
	return send, nil
}

// MessageSent records that the provider accepted claimed message m at at
// (zero: now by the service clock), with its id for the message: the
// message is sent, and the contact log gets its entry. If the sender's claim lapsed meanwhile and another sender
// took the message over, nothing is recorded here: that sender hands the
// message over again under the same idempotency key, and records it.
func (s *Service) MessageSent(ctx context.Context, m outbox.Message, providerID string, at time.Time) error {
	claim := m.Attempts
	if at.IsZero() {
		at = s.now()
	}
	m.Status, m.ProviderID, m.SentAt, m.Delivery = outbox.Sent, providerID, at.UTC(), outbox.DeliveryAccepted
	m.LeaseUntil, m.LastError = time.Time{}, ""
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := tx.UpdateMessage(ctx, &m, outbox.Sending, claim); err != nil {
			return err
		}
		if err := s.logMessage(ctx, tx, &m, m.SentAt, true, compliance.Sent); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(System("sender"), "message.sent", "message", strconv.FormatInt(m.ID, 10),
			map[string]any{"borrower_id": m.BorrowerID, "channel": m.Channel, "provider_id": providerID, "attempts": claim}))
	})
	if errs.CodeOf(err) == errs.Conflict {
		s.log.Warn("message sent after its claim lapsed", "message_id", m.ID)
		return nil
	}
	if err != nil {
		return fmt.Errorf("record message %d sent: %w", m.ID, err)
	}
	return nil
}

// MessageFailed records that handing claimed message m to the provider
// failed with reason. A transient failure is retried after a backoff
// (outbox.Retry) until the attempts run out; a permanent one (invalid
// number, blacklisted, rejected content) fails the message at once and is
// logged as a contact attempt that did not reach the borrower
// (invalid_number when the recipient is invalid).
func (s *Service) MessageFailed(ctx context.Context, m outbox.Message, reason string, permanent, invalidRecipient bool) error {
	claim := m.Attempts
	now := s.now().UTC()
	if permanent {
		m.Status, m.LastError, m.LeaseUntil = outbox.Failed, reason, time.Time{}
	} else {
		outbox.Retry(&m, reason, now)
	}
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := tx.UpdateMessage(ctx, &m, outbox.Sending, claim); err != nil {
			return err
		}
		if m.Status != outbox.Failed {
			return nil
		}
		outcome := compliance.Failed
		if invalidRecipient {
			outcome = compliance.InvalidNumber
		}
		if err := s.logMessage(ctx, tx, &m, now, true, outcome); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(System("sender"), "message.failed", "message", strconv.FormatInt(m.ID, 10),
			map[string]any{"borrower_id": m.BorrowerID, "channel": m.Channel, "reason": reason, "attempts": claim}))
	})
	if errs.CodeOf(err) == errs.Conflict {
		return nil // another sender owns the message now
	}
	if err != nil {
		return fmt.Errorf("record message %d failed: %w", m.ID, err)
	}
	return nil
}

// DeliveryReport is what a provider later reports about a sent message:
// the carrier delivered it, or could not.
type DeliveryReport struct {
	MessageID int64     `json:"message_id"`
	Delivered bool      `json:"delivered"`
	Code      string    `json:"code,omitempty"`
	At        time.Time `json:"at,omitzero"`
}

// RecordDeliveryReports stores delivery reports and returns how many
// matched a sent message of ours. Reports for unknown or unsent messages
// are ignored, and a repeated report changes nothing, so a gateway may
// push the same batch twice. It returns Forbidden unless by holds
// contact:log (the gateway's integration account).
func (s *Service) RecordDeliveryReports(ctx context.Context, by Actor, reports []DeliveryReport) (int, error) {
	if !by.User.Can(auth.PermContactLog) {
		return 0, errs.Errorf(errs.Forbidden, "Your role may not report deliveries.")
	}
	n := 0
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		for _, r := range reports {
			if r.MessageID <= 0 {
				continue
			}
			d, o := outbox.DeliveryFailed, compliance.Failed
			if r.Delivered {
				d, o = outbox.DeliveryDelivered, compliance.Delivered
			}
			at := r.At
			if at.IsZero() {
				at = s.now()
			}
			ok, err := tx.RecordDelivery(ctx, r.MessageID, d, at)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			if err := tx.SetMessageOutcome(ctx, r.MessageID, o); err != nil {
				return err
			}
			n++
		}
		if n == 0 {
			return nil
		}
		return tx.AppendAudit(ctx, s.event(by, "message.delivery", "message", "", map[string]any{"reports": len(reports), "matched": n}))
	})
	if err != nil {
		return 0, fmt.Errorf("record delivery reports: %w", err)
	}
	return n, nil
}
