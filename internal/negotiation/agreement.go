package negotiation

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"accord/internal/collect"
	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/outbox"
	"accord/internal/sqlstore"
)

// The acceptance rules: a code lives CodeTTL from when its SMS may go out,
// takes at most MaxCodeAttempts tries, and an agreement gets at most
// MaxCodesSent codes.
const (
	CodeTTL         = 15 * time.Minute
	MaxCodeAttempts = 5
	MaxCodesSent    = 5
)

// The agreement refusals.
var (
	ErrOfferNotApproved   = errs.Errorf(errs.Conflict, "The offer is not approved (or no longer: it expired or was replaced).")
	ErrAgreementNotOpen   = errs.Errorf(errs.Conflict, "The agreement is no longer awaiting acceptance.")
	ErrNoCode             = errs.Errorf(errs.Conflict, "No acceptance code was sent for this agreement: send one first.")
	ErrCodeExpired        = errs.Errorf(errs.Conflict, "The acceptance code has expired: send a new one.")
	ErrTooManyAttempts    = errs.Errorf(errs.Conflict, "Too many wrong codes: send a new one.")
	ErrTooManyCodes       = errs.Errorf(errs.Conflict, "Too many codes were sent for this agreement: accept it with a signed copy instead.")
	ErrNoMobile           = errs.Errorf(errs.Conflict, "The borrower has no mobile number on record to send the code to.")
	errCodeWrongFieldName = "code"
)

// CreateAgreement puts approved offer offerID to the borrower as an
// agreement over the case's loans, with its printable text in Chinese and
// English (the new schedule and the terms). by must be allowed to work the
// case. It returns ErrOfferNotApproved, a Conflict error when the offer
// already has an agreement, Forbidden, NotFound (also outside by's scope)
// or collect.ErrCaseClosed.
func (s *Service) CreateAgreement(ctx context.Context, by collect.Actor, offerID int64) (sqlstore.Agreement, error) {
	if err := mayNegotiate(by); err != nil {
		return sqlstore.Agreement{}, err
	}
	var a sqlstore.Agreement
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		o, c, err := s.offerOfCase(ctx, tx, by, offerID, true)
		if err != nil {
			return err
		}
		if o.Status != sqlstore.OfferApproved {
			return ErrOfferNotApproved
		}
		b, err := tx.Borrower(ctx, c.BorrowerID)
		if err != nil {
			return err
		}
		zh, en := agreementText(b.Name, c, o)
		a = sqlstore.Agreement{BorrowerID: c.BorrowerID, CaseID: c.ID, OfferID: o.ID, LoanIDs: c.LoanIDs, Offer: o.Offer,
			TextZH: zh, TextEN: en, CreatedBy: by.User.Username, CreatedByID: by.User.ID, CreatedAt: s.now()}
		if err := tx.CreateAgreement(ctx, &a); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.collect.Event(by, "agreement.create", "agreement", strconv.FormatInt(a.ID, 10),
			map[string]any{"case_id": c.ID, "offer_id": o.ID, "loan_ids": a.LoanIDs, "total_payable": o.Offer.TotalPayable}))
	})
	if err != nil {
		return sqlstore.Agreement{}, fmt.Errorf("create agreement from offer %d: %w", offerID, err)
	}
	return a, nil
}

// Agreement returns agreement id if by may see its case. It returns
// NotFound (also outside by's scope).
func (s *Service) Agreement(ctx context.Context, by collect.Actor, id int64) (sqlstore.Agreement, error) {
	var a sqlstore.Agreement
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		a, err = s.agreementOfCase(ctx, tx, by, id, false)
		return err
	})
	return a, err
}

// Agreements returns case caseID's agreements, newest first, if by may
// see the case. It returns NotFound (also outside by's scope).
func (s *Service) Agreements(ctx context.Context, by collect.Actor, caseID int64) ([]sqlstore.Agreement, error) {
	var out []sqlstore.Agreement
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		if _, err := s.collect.VisibleCase(ctx, tx, by, caseID); err != nil {
			return err
		}
		var err error
		out, err = tx.Agreements(ctx, caseID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list agreements of case %d: %w", caseID, err)
	}
	return out, nil
}

// agreementOfCase loads agreement id if by may work (open) or see its case;
// outside the scope it reads as missing.
func (s *Service) agreementOfCase(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, id int64, open bool) (sqlstore.Agreement, error) {
	a, err := tx.Agreement(ctx, id)
	if err != nil {
		return a, err
	}
	if open {
		_, err = s.negotiableCase(ctx, tx, by, a.CaseID)
	} else {
		_, err = s.collect.VisibleCase(ctx, tx, by, a.CaseID)
	}
	if errs.CodeOf(err) == errs.NotFound {
		return sqlstore.Agreement{}, errs.Errorf(errs.NotFound, "Agreement %d not found.", id)
	}
	return a, err
}

// SendAcceptanceCode sends the borrower a one-time code by SMS to accept
// pending agreement id: the message goes into the outbox through the
// contact governor (collect.QueueMessage) in the same transaction — the
// code as the message's secret (outbox.Message.Secret: encrypted, put into
// the text only by the sender, cleared once sent) —, and only a salted
// SHA-256 of the code is kept, valid CodeTTL from when the message
// may go out, for MaxCodeAttempts tries. A new code replaces the last. When
// the governor refuses the message, the refusal is recorded and a
// Forbidden error returned, and no code is set. It also returns
// ErrAgreementNotOpen, ErrOfferNotApproved, ErrTooManyCodes, ErrNoMobile,
// Forbidden (by may not contact borrowers), NotFound (also outside by's
// scope) or collect.ErrCaseClosed.
func (s *Service) SendAcceptanceCode(ctx context.Context, by collect.Actor, id int64) (sqlstore.Agreement, error) {
	if err := mayTake(by); err != nil {
		return sqlstore.Agreement{}, errs.Errorf(errs.Forbidden, "Your role may not send messages to borrowers.")
	}
	var a sqlstore.Agreement
	var refused *outbox.Message
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if a, err = s.openAgreement(ctx, tx, by, id); err != nil {
			return err
		}
		if a.CodesSent >= MaxCodesSent {
			return ErrTooManyCodes
		}
		b, err := tx.Borrower(ctx, a.BorrowerID)
		if err != nil {
			return err
		}
		to := ""
		for _, p := range b.Phones {
			if p.Kind == "mobile" || (p.Kind == "" && strings.HasPrefix(p.Number, "+861")) {
				to = p.Number
				break
			}
		}
		if to == "" {
			return ErrNoMobile
		}
		code, err := newCode()
		if err != nil {
			return err
		}
		m := outbox.Message{BorrowerID: a.BorrowerID, CaseID: a.CaseID, Channel: outbox.SMS, To: to, Lang: b.Language,
			Body: codeMessage(b.Language, outbox.SecretMark, a), Secret: code, Purpose: compliance.PurposeVerification, By: "lender", UserID: by.User.ID,
			DedupKey: fmt.Sprintf("agreement:%d:code:%d", a.ID, a.CodesSent+1)}
		if _, err := s.collect.QueueMessage(ctx, tx, &m); err != nil {
			return err
		}
		if m.Status == outbox.Blocked {
			refused = &m
			return tx.AppendAudit(ctx, s.collect.Event(by, "agreement.code_refused", "agreement", strconv.FormatInt(a.ID, 10),
				map[string]any{"message_id": m.ID, "rules": m.Decision.Rules}))
		}
		salt, err := newSalt()
		if err != nil {
			return err
		}
		from := s.now().UTC()
		if m.NotBefore.After(from) {
			from = m.NotBefore
		}
		expires := from.Add(CodeTTL)
		if err := tx.SetAgreementCode(ctx, a.ID, codeHash(salt, code), salt, expires, m.ID); err != nil {
			return err
		}
		if a, err = tx.Agreement(ctx, a.ID); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.collect.Event(by, "agreement.send_code", "agreement", strconv.FormatInt(a.ID, 10),
			map[string]any{"message_id": m.ID, "status": m.Status, "expires_at": expires, "codes_sent": a.CodesSent}))
	})
	if err != nil {
		return sqlstore.Agreement{}, fmt.Errorf("send acceptance code of agreement %d: %w", id, err)
	}
	if refused != nil {
		return a, errs.Errorf(errs.Forbidden, "The contact governor refused the code message: %s", refused.Decision.Reasons.EN)
	}
	return a, nil
}

// openAgreement loads pending agreement id on a case by may work, whose
// offer is still approved.
func (s *Service) openAgreement(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, id int64) (sqlstore.Agreement, error) {
	a, err := s.agreementOfCase(ctx, tx, by, id, true)
	if err != nil {
		return a, err
	}
	if a.Status != sqlstore.AgreementPending {
		return a, ErrAgreementNotOpen
	}
	o, err := tx.Offer(ctx, a.OfferID)
	if err != nil {
		return a, err
	}
	if o.Status != sqlstore.OfferApproved {
		return a, ErrOfferNotApproved
	}
	return a, nil
}

// ConfirmAcceptance accepts pending agreement id with the code the
// borrower received, and activates it (the Activator) in the same
// transaction. A wrong code counts an attempt, which is kept, and returns
// an Invalid error naming code with the tries left. It also returns
// ErrNoCode, ErrCodeExpired, ErrTooManyAttempts, the errors of activation
// and those of SendAcceptanceCode.
func (s *Service) ConfirmAcceptance(ctx context.Context, by collect.Actor, id int64, code string) (sqlstore.Agreement, error) {
	if err := mayNegotiate(by); err != nil {
		return sqlstore.Agreement{}, err
	}
	code = strings.TrimSpace(code)
	var a sqlstore.Agreement
	left := -1
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if a, err = s.openAgreement(ctx, tx, by, id); err != nil {
			return err
		}
		if code == "" {
			return errs.Fields("Enter the code.", errs.FieldError{Field: errCodeWrongFieldName, Message: "is required"})
		}
		switch {
		case a.CodeHash == "":
			return ErrNoCode
		case a.CodeAttempts >= MaxCodeAttempts:
			return ErrTooManyAttempts
		case !s.now().Before(a.CodeExpiresAt):
			return ErrCodeExpired
		}
		if subtle.ConstantTimeCompare([]byte(codeHash(a.CodeSalt, code)), []byte(a.CodeHash)) != 1 {
			left = MaxCodeAttempts - a.CodeAttempts - 1
			if err := tx.CountAgreementAttempt(ctx, id); err != nil {
				return err
			}
			return tx.AppendAudit(ctx, s.collect.Event(by, "agreement.code_wrong", "agreement", strconv.FormatInt(id, 10),
				map[string]any{"attempts": a.CodeAttempts + 1}))
		}
		return s.accept(ctx, tx, by, &a, "sms_code", "")
	})
	if err != nil {
		return sqlstore.Agreement{}, fmt.Errorf("confirm agreement %d: %w", id, err)
	}
	if left >= 0 {
		return a, errs.Fields("The code is not the one sent.",
			errs.FieldError{Field: errCodeWrongFieldName, Message: fmt.Sprintf("is wrong; %d tries left", left)})
	}
	return a, nil
}

// UploadSignedCopy accepts pending agreement id with a signed copy: the
// file is kept as the attachment of a new round (with its SHA-256, which the
// agreement keeps too), and the agreement is activated in the same
// transaction. It returns an Invalid error naming file, and the errors of
// ConfirmAcceptance but the code ones.
func (s *Service) UploadSignedCopy(ctx context.Context, by collect.Actor, id int64, file NewAttachment) (sqlstore.Agreement, error) {
	if err := mayNegotiate(by); err != nil {
		return sqlstore.Agreement{}, err
	}
	nr := NewRound{HeldAt: s.now(), PlaceKind: "other", Channel: "upload", Participants: []string{by.User.Username},
		KeyPoints: fmt.Sprintf("签署的还款协议 %d / signed copy of agreement %d", id, id), Outcome: "accepted",
		Attachments: []NewAttachment{file}}
	var a sqlstore.Agreement
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if a, err = s.openAgreement(ctx, tx, by, id); err != nil {
			return err
		}
		if err := nr.validate(s.now()); err != nil {
			return errs.Fields("The signed copy is not valid.",
				errs.FieldError{Field: "file", Message: fmt.Sprintf("needs a name and 1 byte to %d MiB", sqlstore.MaxAttachment>>20)})
		}
		c, err := tx.Case(ctx, a.CaseID)
		if err != nil {
			return err
		}
		r := roundOf(c, by, nr, s.now())
		if err := tx.CreateRound(ctx, &r); err != nil {
			return err
		}
		return s.accept(ctx, tx, by, &a, "signed_copy", r.Attachments[0].SHA256)
	})
	if err != nil {
		return sqlstore.Agreement{}, fmt.Errorf("accept agreement %d with a signed copy: %w", id, err)
	}
	return a, nil
}

// accept marks a accepted, its offer accepted and the case's other open
// offers expired, activates it and writes the audit event, all in tx.
func (s *Service) accept(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, a *sqlstore.Agreement, method, sha string) error {
	if err := tx.AcceptAgreement(ctx, a.ID, s.now(), method, sha); err != nil {
		return err
	}
	if err := tx.DecideOffer(ctx, a.OfferID, sqlstore.OfferDecision{From: []sqlstore.OfferStatus{sqlstore.OfferApproved},
		To: sqlstore.OfferAccepted, At: s.now()}); err != nil {
		return err
	}
	if _, err := tx.ExpireOffers(ctx, a.CaseID, a.OfferID); err != nil {
		return err
	}
	got, err := tx.Agreement(ctx, a.ID)
	if err != nil {
		return err
	}
	*a = got
	o, err := tx.Offer(ctx, a.OfferID)
	if err != nil {
		return err
	}
	err = s.activator().Activate(ctx, tx, Agreement{ID: a.ID, CaseID: a.CaseID, BorrowerID: a.BorrowerID,
		LoanIDs: a.LoanIDs, Offer: a.Offer, PaidThrough: o.PaidThrough, DebtAt: o.ProposedAt, AcceptedAt: a.AcceptedAt, ActivatedBy: by.User.Username,
		ActorUserID: by.User.ID})
	if err != nil {
		return fmt.Errorf("activate: %w", err)
	}
	return tx.AppendAudit(ctx, s.collect.Event(by, "agreement.accept", "agreement", strconv.FormatInt(a.ID, 10),
		map[string]any{"case_id": a.CaseID, "offer_id": a.OfferID, "method": method, "signed_sha256": sha}))
}

func newCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", fmt.Errorf("acceptance code: %w", err)
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

func newSalt() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("acceptance code salt: %w", err)
	}
	return hex.EncodeToString(b), nil
}

func codeHash(salt, code string) string {
	sum := sha256.Sum256([]byte(salt + ":" + code))
	return hex.EncodeToString(sum[:])
}
