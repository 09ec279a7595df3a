package gateway

import "time"

// OrderRequest is what we send to create a payment order
// (POST {gateway}/v1/orders). Amounts are fen.
type OrderRequest struct {
	MerchantID string    `json:"merchant_id"`
	OrderID    string    `json:"order_id"` // ours, unique
	AmountFen  int64     `json:"amount_fen"`
	Currency   string    `json:"currency"` // CNY
	Subject    string    `json:"subject"`
	NotifyURL  string    `json:"notify_url"` // where the gateway posts the callback
	ReturnURL  string    `json:"return_url"` // where the pay page sends the borrower back
	ExpiresAt  time.Time `json:"expires_at"`
}

// Order is the gateway's answer to an OrderRequest.
type Order struct {
	OrderID   string `json:"order_id"`
	GatewayNo string `json:"gateway_order_no"`
	PayURL    string `json:"pay_url"`
}

// Callback is the gateway's asynchronous notice of an order's outcome
// (POST {notify_url}). Status is "paid" or "failed"; TxnID is the gateway's
// transaction id, unique per payment.
type Callback struct {
	MerchantID string    `json:"merchant_id"`
	OrderID    string    `json:"order_id"`
	GatewayNo  string    `json:"gateway_order_no"`
	TxnID      string    `json:"transaction_id"`
	AmountFen  int64     `json:"amount_fen"`
	Status     string    `json:"status"`
	PaidAt     time.Time `json:"paid_at"`
}

// The callback statuses.
const (
	StatusPaid   = "paid"
	StatusFailed = "failed"
)
