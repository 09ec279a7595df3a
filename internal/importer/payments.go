package importer

import "accord/internal/ledger"

var paymentColumns = []column{
	{name: "external_id", required: true},
	{name: "loan_external_id", required: true},
	{name: "amount", required: true},
	{name: "paid_on", required: true},
	{name: "channel"},
	{name: "received_at"},
}

// DefaultChannel is the channel a payment gets when the file gives none.
const DefaultChannel = "bank_transfer"

func convertPayment(r *row, b *Batch) {
	p := ledger.Payment{
		ExternalID: r.id("external_id"),
		Amount:     r.amount("amount", 0),
		PaidOn:     r.date("paid_on"),
		Channel:    r.lower("channel"),
		ReceivedAt: r.instant("received_at"),
	}
	if p.Amount <= 0 {
		r.bad("amount", "must be greater than zero")
	}
	if p.Channel == "" {
		p.Channel = DefaultChannel
	} else if !token(p.Channel) {
		r.bad("channel", "must be a channel code such as bank_transfer, app, withholding or counter")
	}
	loan := r.id("loan_external_id")
	if r.ok() {
		b.Payments = append(b.Payments, PaymentRow{Row: r.line, LoanExternalID: loan, Payment: p})
	}
}
