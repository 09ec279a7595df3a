package chat

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// ChannelMessage is a borrower's message as a messaging-channel
// integration passes it on (POST /api/v1/bot/messages).
type ChannelMessage struct {
	// Channel is the integration's channel name (wechat, whatsapp, line …).
	Channel string `json:"channel"`
	// Ref is the channel's id of the borrower (an open id, a phone hash).
	Ref string `json:"borrower_ref"`
	// LoanNumber and Phone bind Ref to a borrower the first time: the
	// loan's number and the mobile number registered for it. Once bound,
	// they are not needed.
	LoanNumber string `json:"loan_number,omitempty"`
	Phone      string `json:"phone,omitempty"`
	Message
}

var channelName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)

// ErrBindingLocked is returned for a channel reference locked after too
// many failed verifications.
var ErrBindingLocked = errs.Errorf(errs.Forbidden,
	"This borrower reference is locked after too many failed verifications; the borrower must contact the lender.")

// errNoMatch is a verification that failed; it is counted, then returned
// as an Invalid error naming loan_number.
var errNoMatch = errors.New("no match")

// ChannelMessage answers a borrower's message passed on by a messaging
// channel integration, signed in as by (an API token of a user holding
// bot:channel). The integration reaches only the borrowers bound to its own
// references: an unbound reference is bound once with the loan number and
// the registered mobile number (verified against the ledger's borrower;
// MaxBindFailures wrong pairs lock it). It returns Forbidden without
// bot:channel, an Invalid error naming channel, borrower_ref, loan_number,
// phone, text, message_id, lang or sent_at, and ErrBindingLocked.
func (s *Service) ChannelMessage(ctx context.Context, by collect.Actor, in ChannelMessage) (Answer, error) {
	if !by.User.Can(auth.PermBotChannel) {
		return Answer{}, errs.Errorf(errs.Forbidden, "Your role may not pass messages to the chatbot.")
	}
	var fe []errs.FieldError
	if !channelName.MatchString(in.Channel) {
		fe = append(fe, errs.FieldError{Field: "channel", Message: "must be 1–32 lower-case letters, digits, _ or - (wechat, whatsapp …)"})
	}
	if in.Channel == PortalChannel {
		fe = append(fe, errs.FieldError{Field: "channel", Message: "portal is the portal's own widget"})
	}
	if in.Ref = strings.TrimSpace(in.Ref); in.Ref == "" || len(in.Ref) > 128 {
		fe = append(fe, errs.FieldError{Field: "borrower_ref", Message: "is required and at most 128 bytes"})
	}
	if len(fe) > 0 {
		return Answer{}, errs.Fields("The message is not valid.", fe...)
	}
	if err := in.Message.validate(s.now().UTC()); err != nil {
		return Answer{}, err
	}
	borrowerID, err := s.bind(ctx, by, in)
	if err != nil {
		return Answer{}, err
	}
	return s.answer(ctx, actor(in.Channel, by.RequestID), convKey{borrowerID: borrowerID, channel: in.Channel, ref: in.Ref}, in.Message)
}

// bind returns the borrower in.Ref is bound to on the integration's
// channel, binding it first when in names a matching loan and phone.
func (s *Service) bind(ctx context.Context, by collect.Actor, in ChannelMessage) (int64, error) {
	var borrowerID int64
	var b sqlstore.ChatBinding
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		var err error
		b, err = tx.ChatBindingOf(ctx, by.User.ID, in.Channel, in.Ref)
		if err != nil {
			return err
		}
		if b.Verified() {
			borrowerID = b.BorrowerID
			return nil
		}
		if b.Failures >= s.opts.MaxBindFailures {
			return ErrBindingLocked
		}
		if strings.TrimSpace(in.LoanNumber) == "" || strings.TrimSpace(in.Phone) == "" {
			return errs.Fields("The borrower reference is not bound yet.",
				errs.FieldError{Field: "loan_number", Message: "and phone are required the first time a borrower_ref is used"})
		}
		loanID, bid, err := matchLoan(ctx, tx, in.LoanNumber, in.Phone)
		if err != nil {
			return err
		}
		if err := tx.VerifyChatBinding(ctx, b.ID, bid, loanID); err != nil {
			return err
		}
		borrowerID = bid
		return tx.AppendAudit(ctx, s.collect.Event(by, "chat.bind", "chat_binding", strconv.FormatInt(b.ID, 10),
			map[string]any{"channel": in.Channel, "borrower_id": bid, "loan_id": loanID}))
	})
	if errors.Is(err, errNoMatch) {
		if err := s.failBinding(ctx, by, b); err != nil {
			return 0, err
		}
		return 0, errs.Fields("The borrower reference could not be bound.",
			errs.FieldError{Field: "loan_number", Message: "and phone do not match a loan and its registered mobile number"})
	}
	if err != nil {
		return 0, fmt.Errorf("bind %s reference: %w", in.Channel, err)
	}
	return borrowerID, nil
}

// failBinding counts a failed verification of b and audits it, after the
// transaction that found no match (the binding itself was created there).
func (s *Service) failBinding(ctx context.Context, by collect.Actor, b sqlstore.ChatBinding) error {
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		b, err := tx.ChatBindingOf(ctx, b.IntegrationID, b.Channel, b.Ref) // the first one may have rolled back
		if err != nil {
			return err
		}
		n, err := tx.FailChatBinding(ctx, b.ID)
		if err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.collect.Event(by, "chat.bind_failed", "chat_binding", strconv.FormatInt(b.ID, 10),
			map[string]any{"channel": b.Channel, "failures": n}))
	})
	if err != nil {
		return fmt.Errorf("count failed verification: %w", err)
	}
	return nil
}

// matchLoan finds the loan numbered loanNumber whose borrower has phone as a
// registered number.
func matchLoan(ctx context.Context, tx *sqlstore.Tx, loanNumber, phone string) (loanID, borrowerID int64, err error) {
	l, err := tx.LoanByExternalID(ctx, strings.TrimSpace(loanNumber))
	if errs.CodeOf(err) == errs.NotFound {
		return 0, 0, errNoMatch
	}
	if err != nil {
		return 0, 0, err
	}
	b, err := tx.Borrower(ctx, l.BorrowerID)
	if err != nil {
		return 0, 0, err
	}
	want := normalizePhone(phone)
	for _, p := range b.Phones {
		if want != "" && normalizePhone(p.Number) == want {
			return l.ID, b.ID, nil
		}
	}
	return 0, 0, errNoMatch
}

// normalizePhone returns a mainland number in E.164 form (+86…) from the
// ways people type it (138 0013 8000, 86-138…, +86 138…); other numbers
// only lose their spaces and dashes.
func normalizePhone(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' || r == '+' {
			b.WriteRune(r)
		}
	}
	n := b.String()
	switch {
	case len(n) == 11 && n[0] == '1':
		return "+86" + n
	case len(n) == 13 && strings.HasPrefix(n, "86"):
		return "+" + n
	}
	return n
}
