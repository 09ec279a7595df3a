package sqlstore

import (
	"context"
	"fmt"
	"time"

	"accord/internal/errs"
	"accord/internal/offer"
)

// AgreementStatus is where an agreement stands.
type AgreementStatus string

// The agreement statuses.
const (
	AgreementPending   AgreementStatus = "pending"  // put to the borrower, not accepted yet
	AgreementAccepted  AgreementStatus = "accepted" // accepted by SMS code or signed copy, and activated
	AgreementCancelled AgreementStatus = "cancelled"
)

// Agreement is an approved offer put to the borrower: the offer as
// approved, the loans it restructures, its printable text in Chinese and
// English, and how it was accepted. Of a one-time code only a salted
// SHA-256 is kept, with its expiry and the attempts made; of a signed copy
// only its SHA-256.
type Agreement struct {
	ID            int64           `json:"id"`
	BorrowerID    int64           `json:"borrower_id"`
	CaseID        int64           `json:"case_id"`
	OfferID       int64           `json:"offer_id"`
	LoanIDs       []int64         `json:"loan_ids"`
	Offer         offer.Offer     `json:"offer"`
	TextZH        string          `json:"text_zh"`
	TextEN        string          `json:"text_en"`
	Status        AgreementStatus `json:"status"`
	Method        string          `json:"method,omitempty"` // sms_code or signed_copy, once accepted
	CodeHash      string          `json:"-"`
	CodeSalt      string          `json:"-"`
	CodeExpiresAt time.Time       `json:"code_expires_at,omitzero"`
	CodeAttempts  int             `json:"code_attempts"`
	CodesSent     int             `json:"codes_sent"`
	MessageID     int64           `json:"message_id,omitempty"` // the outbox message of the last code
	SignedSHA256  string          `json:"signed_sha256,omitempty"`
	AcceptedAt    time.Time       `json:"accepted_at,omitzero"`
	CreatedBy     string          `json:"created_by"`
	CreatedByID   int64           `json:"created_by_id,omitempty"`
	CreatedAt     time.Time       `json:"created_at"`
	UpdatedAt     time.Time       `json:"updated_at"`
}

const agreementCols = `id, borrower_id, case_id, offer_id, loan_ids, offer, text_zh, text_en, status, method, code_hash,
	code_salt, code_expires_at, code_attempts, codes_sent, message_id, signed_sha256, accepted_at, created_by,
	created_by_id, created_at, updated_at`

// CreateAgreement stores a as pending and sets its ID; CreatedAt is the
// transaction's time when zero. It
// returns a Conflict error when the offer already has an agreement.
func (tx *Tx) CreateAgreement(ctx context.Context, a *Agreement) error {
	loans, err := toJSON(a.LoanIDs)
	if err != nil {
		return err
	}
	body, err := toJSON(a.Offer)
	if err != nil {
		return err
	}
	a.Status, a.CreatedAt = AgreementPending, tx.at(a.CreatedAt)
	a.UpdatedAt = a.CreatedAt
	err = tx.get(ctx, "Agreement", `INSERT INTO negotiation_agreements (borrower_id, case_id, offer_id, loan_ids, offer,
		text_zh, text_en, status, created_by, created_by_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{a.BorrowerID, a.CaseID, a.OfferID, loans, body, a.TextZH, a.TextEN, string(a.Status), a.CreatedBy,
			a.CreatedByID, ts(a.CreatedAt), ts(a.UpdatedAt)}, &a.ID)
	if err != nil {
		return conflict(fmt.Errorf("create agreement for offer %d: %w", a.OfferID, err),
			"Offer %d already has an agreement.", a.OfferID)
	}
	return nil
}

// Agreement returns the agreement with id. It returns a NotFound error if
// there is none.
func (tx *Tx) Agreement(ctx context.Context, id int64) (Agreement, error) {
	return tx.oneAgreement(ctx, "id", id)
}

// AgreementByOffer returns the agreement of offer offerID. It returns a
// NotFound error if there is none.
func (tx *Tx) AgreementByOffer(ctx context.Context, offerID int64) (Agreement, error) {
	return tx.oneAgreement(ctx, "offer_id", offerID)
}

// Agreements returns case caseID's agreements, newest first.
func (tx *Tx) Agreements(ctx context.Context, caseID int64) ([]Agreement, error) {
	rows, err := tx.query(ctx, "SELECT id FROM negotiation_agreements WHERE case_id = ? ORDER BY id DESC", caseID)
	if err != nil {
		return nil, fmt.Errorf("agreements of case %d: %w", caseID, err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, interpretError(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, interpretError(err)
	}
	out := make([]Agreement, 0, len(ids))
	for _, id := range ids {
		a, err := tx.Agreement(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func (tx *Tx) oneAgreement(ctx context.Context, col string, id int64) (Agreement, error) {
	var a Agreement
	var loans, body string
	err := tx.get(ctx, fmt.Sprintf("Agreement %d", id), "SELECT "+agreementCols+" FROM negotiation_agreements WHERE "+
		col+" = ?", []any{id}, num(&a.ID), num(&a.BorrowerID), num(&a.CaseID), num(&a.OfferID), &loans, &body, &a.TextZH,
		&a.TextEN, &a.Status, &a.Method, &a.CodeHash, &a.CodeSalt, instant{&a.CodeExpiresAt}, num(&a.CodeAttempts),
		num(&a.CodesSent), num(&a.MessageID), &a.SignedSHA256, instant{&a.AcceptedAt}, &a.CreatedBy, num(&a.CreatedByID),
		instant{&a.CreatedAt}, instant{&a.UpdatedAt})
	if err != nil {
		return a, err
	}
	if err := fromJSON(loans, &a.LoanIDs); err != nil {
		return a, err
	}
	return a, fromJSON(body, &a.Offer)
}

// SetAgreementCode records a new one-time code of pending agreement id:
// its salted hash, expiry and the outbox message that carries it. The
// attempts start again at 0 and codes_sent grows by one. It returns a
// Conflict error when the agreement is not pending.
func (tx *Tx) SetAgreementCode(ctx context.Context, id int64, hash, salt string, expires time.Time, messageID int64) error {
	res, err := tx.exec(ctx, `UPDATE negotiation_agreements SET code_hash = ?, code_salt = ?, code_expires_at = ?,
		code_attempts = 0, codes_sent = codes_sent + 1, message_id = ?, updated_at = ? WHERE id = ? AND status = 'pending'`,
		hash, salt, ts(expires), messageID, ts(tx.now), id)
	if err != nil {
		return fmt.Errorf("set code of agreement %d: %w", id, err)
	}
	return tx.pendingAffected(ctx, res, id)
}

// CountAgreementAttempt adds one to pending agreement id's code attempts.
func (tx *Tx) CountAgreementAttempt(ctx context.Context, id int64) error {
	res, err := tx.exec(ctx, `UPDATE negotiation_agreements SET code_attempts = code_attempts + 1, updated_at = ?
		WHERE id = ? AND status = 'pending'`, ts(tx.now), id)
	if err != nil {
		return fmt.Errorf("count attempt on agreement %d: %w", id, err)
	}
	return tx.pendingAffected(ctx, res, id)
}

// AcceptAgreement marks pending agreement id accepted at (the
// transaction's time when zero) by method (sms_code or signed_copy), with
// the signed copy's SHA-256 if any. It returns a Conflict error when the
// agreement is not pending.
func (tx *Tx) AcceptAgreement(ctx context.Context, id int64, at time.Time, method, signedSHA256 string) error {
	res, err := tx.exec(ctx, `UPDATE negotiation_agreements SET status = 'accepted', method = ?, signed_sha256 = ?,
		accepted_at = ?, code_hash = '', updated_at = ? WHERE id = ? AND status = 'pending'`,
		method, signedSHA256, ts(tx.at(at)), ts(truncated(tx.now)), id)
	if err != nil {
		return fmt.Errorf("accept agreement %d: %w", id, err)
	}
	return tx.pendingAffected(ctx, res, id)
}

func (tx *Tx) pendingAffected(ctx context.Context, res interface{ RowsAffected() (int64, error) }, id int64) error {
	n, err := res.RowsAffected()
	if err != nil {
		return interpretError(err)
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.Agreement(ctx, id); err != nil {
		return err
	}
	return errs.Errorf(errs.Conflict, "The agreement is no longer awaiting acceptance.")
}
