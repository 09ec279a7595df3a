package selfservice

import (
	"context"
	"fmt"
	"strings"

	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/outbox"
	"accord/internal/promise"
	"accord/internal/sqlstore"
)

// PromiseRequest is a promise to pay as the borrower makes it.
type PromiseRequest struct {
	Amount money.Amount `json:"amount"`
	Due    date.Date    `json:"due"`
	Note   string       `json:"note,omitempty"`
}

// PromiseResult is the recorded promise and its SMS confirmation (the
// outbox message; Status blocked when the governor refused it, held when it
// waits for the borrower's allowed hours).
type PromiseResult struct {
	Promise   promise.Promise `json:"promise"`
	MessageID int64           `json:"message_id"`
	SMS       outbox.Status   `json:"sms_status"`
}

// Promise records who's promise to pay on their open case through
// negotiation.RecordPromise (the promise policy: amount and date limits),
// on channel who.Channel, and confirms it by SMS through the outbox and the
// governor. It returns ErrNoCase when nothing is overdue, and the errors of
// RecordPromise (Invalid naming amount, due or note).
func (s *Service) Promise(ctx context.Context, who Borrower, in PromiseRequest) (PromiseResult, error) {
	caseID, err := s.OpenCase(ctx, who)
	if err != nil {
		return PromiseResult{}, err
	}
	if caseID == 0 {
		return PromiseResult{}, ErrNoCase
	}
	p, err := s.neg.RecordPromise(ctx, s.actor(who), caseID, negotiation.NewPromise{Amount: in.Amount, Due: in.Due,
		Channel: channelOf(who), Note: strings.TrimSpace(in.Note)})
	if err != nil {
		return PromiseResult{}, err
	}
	res := PromiseResult{Promise: p}
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		b, err := tx.Borrower(ctx, who.ID)
		if err != nil {
			return err
		}
		to := mobileOf(b.Phones)
		if to == "" {
			return nil
		}
		m := outbox.Message{BorrowerID: who.ID, CaseID: caseID, Channel: outbox.SMS, To: to, Lang: b.Language,
			Body: promiseText(b.Language, p), Purpose: compliance.PurposeVerification, By: "lender",
			DedupKey: fmt.Sprintf("portal:promise:%d", p.ID)}
		if _, err := s.collect.QueueMessage(ctx, tx, &m); err != nil {
			return err
		}
		res.MessageID, res.SMS = m.ID, m.Status
		r := sqlstore.PortalRequest{BorrowerID: who.ID, CaseID: caseID, LoanID: who.LoanID, Kind: "promise",
			Channel: channelOf(who), CreatedAt: s.now()}
		if err := tx.CreatePortalRequest(ctx, &r); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(who, "portal.promise", "case", caseID,
			map[string]any{"promise_id": p.ID, "amount": p.Amount, "due": p.Due, "message_id": m.ID, "sms_status": m.Status}))
	})
	if err != nil {
		return res, fmt.Errorf("confirm promise %d: %w", p.ID, err)
	}
	return res, nil
}

func promiseText(lang string, p promise.Promise) string {
	if strings.HasPrefix(lang, "en") {
		return fmt.Sprintf("We have recorded your promise to pay ¥%s by %s. Thank you.", p.Amount.Grouped(), p.Due)
	}
	return fmt.Sprintf("您已承诺于%s前还款%s元，我们已记录。感谢您的配合。", p.Due, p.Amount.Grouped())
}

func channelOf(who Borrower) string {
	if who.Channel == "bot" {
		return "bot"
	}
	return "portal"
}
