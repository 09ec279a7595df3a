package selfservice

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/gateway"
	"accord/internal/money"
	"accord/internal/sqlstore"
)

// ErrPayUnavailable is returned when no payment gateway is configured.
var ErrPayUnavailable = errs.Errorf(errs.Conflict, "Paying online is not available at the moment: use your bank's app or counter.")

// ReturnPath is where the gateway's pay page sends the borrower back, with
// "?order=<order id>".
const ReturnPath = "/my/pay/return"

// StartPayment creates a payment order of amount on who's loan loanID and
// has the gateway create it: the borrower pays on the returned order's
// PayURL. amount must be positive and at most what settles the loan today.
// It returns ErrPayUnavailable, NotFound for a loan that is not who's, an
// Invalid error naming amount, and Internal when the gateway refuses.
func (s *Service) StartPayment(ctx context.Context, who Borrower, loanID int64, amount money.Amount) (sqlstore.PaymentOrder, error) {
	if s.gw == nil {
		return sqlstore.PaymentOrder{}, ErrPayUnavailable
	}
	now := s.now()
	o := sqlstore.PaymentOrder{OrderID: "AC" + now.In(s.collect.Zone()).Format("20060102") + strings.ToUpper(randomHex(8)),
		BorrowerID: who.ID, LoanID: loanID, Amount: amount, CreatedAt: now, ExpiresAt: now.Add(s.pol.OrderTTL)}
	var loanNo string
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		l, err := ownLoan(ctx, tx, who, loanID)
		if err != nil {
			return err
		}
		st, err := s.statement(ctx, tx, l)
		if err != nil {
			return err
		}
		if amount <= 0 || amount > st.Payoff {
			return errs.Field("amount", "must be between ¥0.01 and ¥%s, what settles the loan today", st.Payoff.Grouped())
		}
		loanNo = l.ExternalID
		if err := tx.CreatePaymentOrder(ctx, &o); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(who, "portal.payment_order", "loan", loanID,
			map[string]any{"order_id": o.OrderID, "amount": amount}))
	})
	if err != nil {
		return sqlstore.PaymentOrder{}, fmt.Errorf("start payment on loan %d: %w", loanID, err)
	}
	res, gwErr := s.gw.CreateOrder(ctx, gateway.OrderRequest{OrderID: o.OrderID, AmountFen: int64(amount),
		Subject: "借款 " + loanNo + " 还款", ReturnURL: s.base + ReturnPath + "?order=" + url.QueryEscape(o.OrderID),
		ExpiresAt: o.ExpiresAt})
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if gwErr != nil {
			return tx.MarkPaymentOrderFailed(ctx, o.OrderID)
		}
		return tx.SetPaymentOrderGateway(ctx, o.OrderID, res.GatewayNo, res.PayURL)
	})
	if gwErr != nil {
		s.log.Error("payment gateway refused an order", "order_id", o.OrderID, "err", gwErr)
		return sqlstore.PaymentOrder{}, gwErr
	}
	if err != nil {
		return sqlstore.PaymentOrder{}, fmt.Errorf("record gateway order %s: %w", o.OrderID, err)
	}
	o.GatewayNo, o.PayURL = res.GatewayNo, res.PayURL
	return o, nil
}

// PaymentOrder returns who's order orderID (for the return page). It
// returns NotFound for an order that is not who's.
func (s *Service) PaymentOrder(ctx context.Context, who Borrower, orderID string) (sqlstore.PaymentOrder, error) {
	var o sqlstore.PaymentOrder
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		o, err = tx.PaymentOrder(ctx, orderID)
		if err == nil && o.BorrowerID != who.ID {
			err = errs.Errorf(errs.NotFound, "Payment order %s not found.", orderID)
		}
		return err
	})
	return o, err
}

// CallbackResult is what became of a callback: posted (a new payment),
// duplicate (the transaction was posted before) or failed (the gateway
// says the payment failed).
type CallbackResult struct {
	OrderID   string `json:"order_id"`
	Outcome   string `json:"outcome"`
	PaymentID int64  `json:"payment_id,omitempty"`
}

// paidOn is the business date of a payment at t (today when zero or in the
// future).
func (s *Service) paidOn(t time.Time) date.Date {
	today := s.Today()
	if t.IsZero() {
		return today
	}
	d := date.FromTime(t.In(s.collect.Zone()))
	if d.After(today) {
		return today
	}
	return d
}
