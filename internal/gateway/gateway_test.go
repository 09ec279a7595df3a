package gateway_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"accord/internal/errs"
	"accord/internal/gateway"
)

var t0 = time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)

func signed(secret, merchant string, body []byte, at time.Time, nonce string) http.Header {
	h := http.Header{}
	stamp := strconv.FormatInt(at.Unix(), 10)
	h.Set(gateway.HeaderMerchant, merchant)
	h.Set(gateway.HeaderTimestamp, stamp)
	h.Set(gateway.HeaderNonce, nonce)
	h.Set(gateway.HeaderSignature, gateway.Sign(secret, stamp, nonce, body))
	return h
}

func TestVerifier_Verify(t *testing.T) {
	t.Parallel()
	v := gateway.Verifier{Merchant: "M1", Secret: "s3cret"}
	body := []byte(`{"order_id":"A1","amount_fen":100}`)
	tests := []struct {
		name   string
		header func() http.Header
		body   []byte
		ok     bool
	}{
		{"OK", func() http.Header { return signed("s3cret", "M1", body, t0, "nonce-0001") }, body, true},
		{"within the window", func() http.Header { return signed("s3cret", "M1", body, t0.Add(-4*time.Minute), "nonce-0001") }, body, true},
		{"forged with another secret", func() http.Header { return signed("guess", "M1", body, t0, "nonce-0001") }, body, false},
		{"body altered", func() http.Header { return signed("s3cret", "M1", body, t0, "nonce-0001") },
			[]byte(`{"order_id":"A1","amount_fen":1}`), false},
		{"nonce altered", func() http.Header {
			h := signed("s3cret", "M1", body, t0, "nonce-0001")
			h.Set(gateway.HeaderNonce, "nonce-0002")
			return h
		}, body, false},
		{"late", func() http.Header { return signed("s3cret", "M1", body, t0.Add(-6*time.Minute), "nonce-0001") }, body, false},
		{"other merchant", func() http.Header { return signed("s3cret", "M2", body, t0, "nonce-0001") }, body, false},
		{"no signature", func() http.Header {
			h := signed("s3cret", "M1", body, t0, "nonce-0001")
			h.Del(gateway.HeaderSignature)
			return h
		}, body, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nonce, err := v.Verify(tt.header(), tt.body, t0)
			if tt.ok && (err != nil || nonce != "nonce-0001") {
				t.Fatalf("Verify = %q, %v; want the nonce", nonce, err)
			}
			if !tt.ok && errs.CodeOf(err) != errs.Unauthorized {
				t.Fatalf("Verify error = %v, want Unauthorized", err)
			}
		})
	}
	if _, err := (gateway.Verifier{Merchant: "M1"}).Verify(signed("", "M1", body, t0, "nonce-0001"), body, t0); err == nil {
		t.Error("a verifier without a secret accepted a request")
	}
}

// TestClient_LocalRoundTrip creates an order with the local gateway, pays
// it and checks that the callback reaches the notify URL signed so that a
// Verifier accepts it.
func TestClient_LocalRoundTrip(t *testing.T) {
	t.Parallel()
	local := gateway.NewLocal("M1", "s3cret")
	gw := httptest.NewServer(local.Handler())
	t.Cleanup(gw.Close)
	local.Base = gw.URL

	var mu sync.Mutex
	var got []gateway.Callback
	v := gateway.Verifier{Merchant: "M1", Secret: "s3cret"}
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if _, err := v.Verify(r.Header, body, time.Now()); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		var cb gateway.Callback
		_ = json.Unmarshal(body, &cb)
		mu.Lock()
		got = append(got, cb)
		mu.Unlock()
		_, _ = w.Write([]byte(`{"result":"ok"}`))
	}))
	t.Cleanup(shop.Close)

	c, err := gateway.NewClient(gateway.Config{URL: gw.URL, MerchantID: "M1", Secret: "s3cret", NotifyURL: shop.URL + "/cb"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	o, err := c.CreateOrder(ctx, gateway.OrderRequest{OrderID: "A1", AmountFen: 123_45, Subject: "还款", ReturnURL: "/back"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(o.PayURL, gw.URL+"/pay/") || o.GatewayNo == "" {
		t.Fatalf("order = %+v", o)
	}
	resp, err := http.Get(o.PayURL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "123.45") {
		t.Errorf("pay page does not show ¥123.45:\n%s", page)
	}
	d, err := local.Settle(ctx, o.GatewayNo, gateway.StatusPaid)
	if err != nil || d.Status != 200 {
		t.Fatalf("Settle = %+v, %v", d, err)
	}
	if len(got) != 1 || got[0].OrderID != "A1" || got[0].AmountFen != 123_45 || got[0].TxnID == "" || got[0].Status != "paid" {
		t.Fatalf("callbacks = %+v", got)
	}

	bad, _ := gateway.NewClient(gateway.Config{URL: gw.URL, MerchantID: "M1", Secret: "wrong", NotifyURL: shop.URL})
	if _, err := bad.CreateOrder(ctx, gateway.OrderRequest{OrderID: "A2", AmountFen: 1}); err == nil {
		t.Error("the local gateway accepted an order signed with the wrong secret")
	}
}

func TestNewClient_Invalid(t *testing.T) {
	t.Parallel()
	for _, cfg := range []gateway.Config{{URL: "ftp://x", MerchantID: "M", Secret: "s"}, {URL: "http://x"}, {URL: "http://x", MerchantID: "M"}} {
		if _, err := gateway.NewClient(cfg); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("NewClient(%+v) error = %v, want Invalid", cfg, err)
		}
	}
}
