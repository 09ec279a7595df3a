package sqlstore

import (
	"context"
	"fmt"
	"time"

	"accord/internal/money"
)

// PaymentOrder is a payment a borrower started through the payment
// gateway. OrderID is ours; GatewayNo is the gateway's order number and
// TxnID its transaction id once paid (unique: one transaction, one posted
// payment, PaymentID).
type PaymentOrder struct {
	ID         int64        `json:"id"`
	OrderID    string       `json:"order_id"`
	BorrowerID int64        `json:"borrower_id"`
	LoanID     int64        `json:"loan_id"`
	Amount     money.Amount `json:"amount"`
	Status     string       `json:"status"` // created, paid, failed
	GatewayNo  string       `json:"gateway_no,omitempty"`
	PayURL     string       `json:"pay_url,omitempty"`
	TxnID      string       `json:"txn_id,omitempty"`
	PaymentID  int64        `json:"payment_id,omitempty"`
	CreatedAt  time.Time    `json:"created_at"`
	ExpiresAt  time.Time    `json:"expires_at"`
	PaidAt     time.Time    `json:"paid_at,omitzero"`
}

// The statuses of a PaymentOrder.
const (
	OrderCreated = "created"
	OrderPaid    = "paid"
	OrderFailed  = "failed"
)

const orderCols = `id, order_id, borrower_id, loan_id, amount_minor, status, gateway_no, pay_url, txn_id, payment_id,
	created_at, expires_at, paid_at`

func orderDest(o *PaymentOrder) []any {
	return []any{&o.ID, &o.OrderID, &o.BorrowerID, &o.LoanID, num(&o.Amount), &o.Status, &o.GatewayNo, &o.PayURL,
		text{&o.TxnID}, &o.PaymentID, instant{&o.CreatedAt}, instant{&o.ExpiresAt}, instant{&o.PaidAt}}
}

// CreatePaymentOrder stores o and sets its ID. It returns Conflict when the
// order id exists.
func (tx *Tx) CreatePaymentOrder(ctx context.Context, o *PaymentOrder) error {
	if o.Status == "" {
		o.Status = OrderCreated
	}
	o.CreatedAt, o.ExpiresAt = truncated(o.CreatedAt), truncated(o.ExpiresAt)
	err := tx.get(ctx, "Payment order", `INSERT INTO payment_orders (order_id, borrower_id, loan_id, amount_minor, status,
		gateway_no, pay_url, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{o.OrderID, o.BorrowerID, o.LoanID, int64(o.Amount), o.Status, o.GatewayNo, o.PayURL, ts(o.CreatedAt),
			ts(o.ExpiresAt)}, &o.ID)
	if err != nil {
		return conflict(fmt.Errorf("create payment order: %w", err), "Payment order %s already exists.", o.OrderID)
	}
	return nil
}

// PaymentOrder returns the order with our order id. It returns NotFound if
// there is none.
func (tx *Tx) PaymentOrder(ctx context.Context, orderID string) (PaymentOrder, error) {
	var o PaymentOrder
	err := tx.get(ctx, "Payment order "+orderID, "SELECT "+orderCols+" FROM payment_orders WHERE order_id = ?",
		[]any{orderID}, orderDest(&o)...)
	return o, err
}

// SetPaymentOrderGateway records the gateway's order number and pay page.
func (tx *Tx) SetPaymentOrderGateway(ctx context.Context, orderID, gatewayNo, payURL string) error {
	res, err := tx.exec(ctx, "UPDATE payment_orders SET gateway_no = ?, pay_url = ? WHERE order_id = ?", gatewayNo, payURL, orderID)
	if err != nil {
		return fmt.Errorf("update payment order %s: %w", orderID, err)
	}
	return affected(res, "Payment order "+orderID)
}

// MarkPaymentOrderPaid records that order orderID was paid by gateway
// transaction txnID, posted as payment paymentID, if it is not paid yet. It
// reports whether it changed the order; a transaction id already used by
// another order is a Conflict.
func (tx *Tx) MarkPaymentOrderPaid(ctx context.Context, orderID, txnID string, paymentID int64, at time.Time) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE payment_orders SET status = 'paid', txn_id = ?, payment_id = ?, paid_at = ?
		WHERE order_id = ? AND status <> 'paid'`, txnID, paymentID, ts(at), orderID)
	if err != nil {
		return false, conflict(fmt.Errorf("mark payment order %s paid: %w", orderID, err),
			"Gateway transaction %s was already used by another order.", txnID)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// PaymentOrders returns borrower id's orders, newest first (at most 50).
func (tx *Tx) PaymentOrders(ctx context.Context, borrowerID int64) ([]PaymentOrder, error) {
	rows, err := tx.query(ctx, "SELECT "+orderCols+" FROM payment_orders WHERE borrower_id = ? ORDER BY id DESC LIMIT 50",
		borrowerID)
	if err != nil {
		return nil, fmt.Errorf("list payment orders: %w", err)
	}
	defer rows.Close()
	var out []PaymentOrder
	for rows.Next() {
		var o PaymentOrder
		if err := rows.Scan(orderDest(&o)...); err != nil {
			return nil, fmt.Errorf("scan payment order: %w", err)
		}
		out = append(out, o)
	}
	return out, interpretError(rows.Err())
}

// GatewayCallback is a callback from the payment gateway whose signature
// checked out, kept by its nonce.
type GatewayCallback struct {
	ID         int64        `json:"id"`
	Nonce      string       `json:"nonce"`
	OrderID    string       `json:"order_id"`
	TxnID      string       `json:"txn_id"`
	Amount     money.Amount `json:"amount"`
	Outcome    string       `json:"outcome"` // posted, duplicate, refused
	Reason     string       `json:"reason,omitempty"`
	ReceivedAt time.Time    `json:"received_at"`
}

// AddGatewayCallback stores c unless a callback with its nonce was stored
// before, and reports whether it stored it: false is a replay.
func (tx *Tx) AddGatewayCallback(ctx context.Context, c *GatewayCallback) (bool, error) {
	c.ReceivedAt = truncated(c.ReceivedAt)
	rows, err := tx.query(ctx, `INSERT INTO gateway_callbacks (nonce, order_id, txn_id, amount_minor, outcome, reason,
		received_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (nonce) DO NOTHING RETURNING id`,
		c.Nonce, c.OrderID, c.TxnID, int64(c.Amount), c.Outcome, c.Reason, ts(c.ReceivedAt))
	if err != nil {
		return false, fmt.Errorf("add gateway callback: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		return false, interpretError(rows.Err())
	}
	if err := rows.Scan(&c.ID); err != nil {
		return false, fmt.Errorf("scan gateway callback id: %w", err)
	}
	return true, interpretError(rows.Err())
}

// SetGatewayCallbackOutcome records what became of callback id.
func (tx *Tx) SetGatewayCallbackOutcome(ctx context.Context, id int64, outcome, reason string) error {
	res, err := tx.exec(ctx, "UPDATE gateway_callbacks SET outcome = ?, reason = ? WHERE id = ?", outcome, reason, id)
	if err != nil {
		return fmt.Errorf("update gateway callback %d: %w", id, err)
	}
	return affected(res, fmt.Sprintf("Gateway callback %d", id))
}

// GatewayCallbacks returns the callbacks of order orderID, oldest first.
func (tx *Tx) GatewayCallbacks(ctx context.Context, orderID string) ([]GatewayCallback, error) {
	rows, err := tx.query(ctx, `SELECT id, nonce, order_id, txn_id, amount_minor, outcome, reason, received_at
		FROM gateway_callbacks WHERE order_id = ? ORDER BY id`, orderID)
	if err != nil {
		return nil, fmt.Errorf("list gateway callbacks: %w", err)
	}
	defer rows.Close()
	var out []GatewayCallback
	for rows.Next() {
		var c GatewayCallback
		if err := rows.Scan(&c.ID, &c.Nonce, &c.OrderID, &c.TxnID, num(&c.Amount), &c.Outcome, &c.Reason,
			instant{&c.ReceivedAt}); err != nil {
			return nil, fmt.Errorf("scan gateway callback: %w", err)
		}
		out = append(out, c)
	}
	return out, interpretError(rows.Err())
}

// MarkPaymentOrderFailed records that order orderID failed at the gateway,
// unless it was paid.
func (tx *Tx) MarkPaymentOrderFailed(ctx context.Context, orderID string) error {
	if _, err := tx.exec(ctx, "UPDATE payment_orders SET status = 'failed' WHERE order_id = ? AND status = 'created'", orderID); err != nil {
		return fmt.Errorf("mark payment order %s failed: %w", orderID, err)
	}
	return nil
}
