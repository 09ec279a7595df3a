package selfservice

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"accord/internal/audit"
	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/gateway"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/sqlstore"
)

// gatewayActor posts the payments the gateway reports.
var gatewayActor = collect.System("payment-gateway")

// Callback handles a callback of the payment gateway: its headers h and
// body, from address addr. The signature and timestamp are checked
// (gateway.Verifier), the nonce must be new (a replay is refused), the
// order must be ours and the amount the order's; then the payment is posted
// through collect.RecordPayment with the external id "gw:<transaction id>",
// so that one gateway transaction posts one payment however often it is
// reported. Every refusal is audited (gateway.callback_refused) with its
// reason. It returns Unauthorized for a forged, altered, late or replayed
// callback, Invalid for a malformed one or an amount that is not the
// order's, NotFound for an unknown order and Conflict for a transaction id
// already used by another order.
func (s *Service) Callback(ctx context.Context, h http.Header, body []byte, addr string) (CallbackResult, error) {
	nonce, err := s.verify.Verify(h, body, s.now())
	if err != nil {
		return CallbackResult{}, s.refuse(ctx, "", errs.MessageOf(err), addr, err)
	}
	var cb gateway.Callback
	if err := json.Unmarshal(body, &cb); err != nil || cb.OrderID == "" || cb.TxnID == "" || cb.AmountFen <= 0 ||
		(cb.Status != gateway.StatusPaid && cb.Status != gateway.StatusFailed) {
		return CallbackResult{}, s.refuse(ctx, cb.OrderID, "malformed callback", addr,
			errs.Errorf(errs.Invalid, "The callback is not valid: it needs order_id, transaction_id, amount_fen and status."))
	}
	rec := sqlstore.GatewayCallback{Nonce: nonce, OrderID: cb.OrderID, TxnID: cb.TxnID, Amount: money.Amount(cb.AmountFen),
		Outcome: "accepted", ReceivedAt: s.now()}
	var o sqlstore.PaymentOrder
	var refusal error
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		fresh, err := tx.AddGatewayCallback(ctx, &rec)
		if err != nil {
			return err
		}
		if !fresh {
			refusal = errs.Errorf(errs.Unauthorized, "This callback was already received (replay).")
			return nil
		}
		o, refusal, err = s.checkCallback(ctx, tx, cb)
		if err != nil || refusal == nil {
			return err
		}
		return tx.SetGatewayCallbackOutcome(ctx, rec.ID, "refused", errs.MessageOf(refusal))
	})
	if err != nil {
		return CallbackResult{}, fmt.Errorf("gateway callback for order %s: %w", cb.OrderID, err)
	}
	if refusal != nil {
		return CallbackResult{}, s.refuse(ctx, cb.OrderID, errs.MessageOf(refusal), addr, refusal)
	}
	if o.Status == sqlstore.OrderPaid {
		return CallbackResult{OrderID: o.OrderID, Outcome: "duplicate", PaymentID: o.PaymentID},
			s.setOutcome(ctx, rec.ID, "duplicate", "already posted")
	}
	if cb.Status == gateway.StatusFailed {
		return CallbackResult{OrderID: o.OrderID, Outcome: "failed"}, s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
			if err := tx.MarkPaymentOrderFailed(ctx, o.OrderID); err != nil {
				return err
			}
			if err := tx.SetGatewayCallbackOutcome(ctx, rec.ID, "refused", "payment failed at the gateway"); err != nil {
				return err
			}
			return tx.AppendAudit(ctx, gatewayEvent(s, "gateway.payment_failed", o, map[string]any{"txn_id": cb.TxnID}))
		})
	}
	return s.post(ctx, o, cb, rec.ID)
}

// checkCallback loads cb's order and says why cb is refused, if it is.
func (s *Service) checkCallback(ctx context.Context, tx *sqlstore.Tx, cb gateway.Callback) (sqlstore.PaymentOrder, error, error) {
	o, err := tx.PaymentOrder(ctx, cb.OrderID)
	if isNotFound(err) {
		return o, errs.Errorf(errs.NotFound, "Payment order %s not found.", cb.OrderID), nil
	}
	if err != nil {
		return o, nil, err
	}
	switch {
	case int64(o.Amount) != cb.AmountFen:
		return o, errs.Errorf(errs.Invalid, "The callback's amount %d fen is not the order's %d fen.", cb.AmountFen, int64(o.Amount)), nil
	case o.GatewayNo != "" && cb.GatewayNo != "" && o.GatewayNo != cb.GatewayNo:
		return o, errs.Errorf(errs.Invalid, "The callback's gateway order number is not the order's."), nil
	case o.Status == sqlstore.OrderPaid && o.TxnID != cb.TxnID:
		return o, errs.Errorf(errs.Conflict, "Order %s was already paid by another transaction.", o.OrderID), nil
	}
	return o, nil, nil
}

// post records the payment of order o (once: by external id) and marks
// the order paid.
func (s *Service) post(ctx context.Context, o sqlstore.PaymentOrder, cb gateway.Callback, recID int64) (CallbackResult, error) {
	p, created, err := s.collect.RecordPayment(ctx, gatewayActor, ledger.Payment{ExternalID: "gw:" + cb.TxnID, LoanID: o.LoanID,
		Amount: o.Amount, PaidOn: s.paidOn(cb.PaidAt), Channel: "gateway", ReceivedAt: s.now()})
	if err != nil {
		return CallbackResult{}, fmt.Errorf("post payment of order %s: %w", o.OrderID, err)
	}
	outcome := "posted"
	if !created {
		outcome = "duplicate"
	}
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if _, err := tx.MarkPaymentOrderPaid(ctx, o.OrderID, cb.TxnID, p.ID, s.now()); err != nil {
			return err
		}
		if err := tx.SetGatewayCallbackOutcome(ctx, recID, outcome, ""); err != nil {
			return err
		}
		if !created {
			return nil
		}
		return tx.AppendAudit(ctx, gatewayEvent(s, "gateway.payment_posted", o,
			map[string]any{"txn_id": cb.TxnID, "payment_id": p.ID, "amount": o.Amount}))
	})
	if err != nil {
		return CallbackResult{}, fmt.Errorf("mark order %s paid: %w", o.OrderID, err)
	}
	return CallbackResult{OrderID: o.OrderID, Outcome: outcome, PaymentID: p.ID}, nil
}

func (s *Service) setOutcome(ctx context.Context, id int64, outcome, reason string) error {
	return s.db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.SetGatewayCallbackOutcome(ctx, id, outcome, reason) })
}

// refuse audits a refused callback and returns err.
func (s *Service) refuse(ctx context.Context, orderID, reason, addr string, err error) error {
	s.log.Warn("payment gateway callback refused", "order_id", orderID, "reason", reason, "address", addr)
	aerr := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		return tx.AppendAudit(ctx, audit.Event{At: s.now(), Actor: audit.Actor{Username: "payment-gateway", Role: "gateway"},
			Action: "gateway.callback_refused", EntityType: "payment_order", EntityID: orderID,
			Summary: audit.Summarize(map[string]any{"reason": reason, "address": addr})})
	})
	if aerr != nil {
		return fmt.Errorf("audit refused callback: %w", aerr)
	}
	return err
}

func gatewayEvent(s *Service, action string, o sqlstore.PaymentOrder, summary map[string]any) audit.Event {
	summary["order_id"] = o.OrderID
	summary["loan_id"] = o.LoanID
	return audit.Event{At: s.now(), Actor: audit.Actor{Username: "payment-gateway", Role: "gateway"}, Action: action,
		EntityType: "loan", EntityID: strconv.FormatInt(o.LoanID, 10), Summary: audit.Summarize(summary)}
}
