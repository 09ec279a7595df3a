package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/errs"
)

type gatewayCallbackInput struct {
	Merchant  string `header:"X-Merchant-Id" doc:"our merchant id at the gateway"`
	Timestamp string `header:"X-Timestamp" doc:"Unix seconds; within 5 minutes of our clock"`
	Nonce     string `header:"X-Nonce" doc:"random, unique per callback; a nonce seen before is a replay"`
	Signature string `header:"X-Signature" doc:"hex HMAC-SHA256 under the merchant secret of X-Timestamp, newline, X-Nonce, newline and the body"`
	RawBody   []byte
}

type gatewayCallbackOutput struct {
	Body struct {
		Result    string `json:"result" doc:"ok"`
		Outcome   string `json:"outcome" doc:"posted, duplicate (posted before) or failed"`
		PaymentID int64  `json:"payment_id,omitempty"`
	}
}

// registerGatewayAPI declares the payment gateway's callback: signed by
// the gateway, not sent by a user (permSigned).
func (s *Server) registerGatewayAPI() {
	register(s, permSigned, huma.Operation{OperationID: "gatewayCallback", Method: http.MethodPost, Path: "/api/v1/gateway/callback",
		Summary: "Payment result pushed by the payment gateway (异步通知)", Tags: []string{"payments"},
		Errors: []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusNotFound, http.StatusConflict},
		Description: "A JSON object {merchant_id, order_id, gateway_order_no, transaction_id, amount_fen, status, paid_at} " +
			"(docs/GATEWAY.md). Authenticated by the gateway's signature, not by a user: X-Merchant-Id, X-Timestamp " +
			"(Unix seconds, within 5 minutes), X-Nonce and X-Signature = hex(HMAC-SHA256(secret, X-Timestamp + newline + " +
			"X-Nonce + newline + body)). A forged, altered, late or replayed callback is 401; an amount that is not the " +
			"order's is 400. A paid order is posted as one payment however often it is reported (outcome duplicate)."},
		func(ctx context.Context, in *gatewayCallbackInput) (*gatewayCallbackOutput, error) {
			if s.opts.Portal == nil {
				return nil, s.apiErr(ctx, errs.Errorf(errs.Unauthorized, "Payment gateway callbacks are not accepted here."))
			}
			addr := ""
			if a, ok := ctx.Value(keyClientAddr).(clientAddr); ok {
				addr = a.IP
			}
			h := http.Header{}
			h.Set("X-Merchant-Id", in.Merchant)
			h.Set("X-Timestamp", in.Timestamp)
			h.Set("X-Nonce", in.Nonce)
			h.Set("X-Signature", in.Signature)
			res, err := s.opts.Portal.Callback(ctx, h, in.RawBody, addr)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			out := &gatewayCallbackOutput{}
			out.Body.Result, out.Body.Outcome, out.Body.PaymentID = "ok", res.Outcome, res.PaymentID
			return out, nil
		})
}
