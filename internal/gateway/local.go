package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Local is a payment gateway for tests and demos, speaking the protocol of
// docs/GATEWAY.md: it creates orders (checking our signature), shows a pay
// page, and on "pay" calls the order's notify URL back with a signed
// callback, then sends the payer to the return URL. It keeps every
// callback it sent, so tests can replay or alter one. It is safe for
// concurrent use.
type Local struct {
	Merchant string
	Secret   string
	// Base is the gateway's own public URL, for the pay page links, e.g.
	// "http://127.0.0.1:8099"; set it once the listener is known.
	Base   string
	Now    func() time.Time // time.Now when nil
	Client *http.Client     // a plain client when nil

	mu     sync.Mutex
	orders map[string]*LocalOrder // by gateway order number
	sent   []Delivery
	seq    int
}

// LocalOrder is an order the local gateway holds.
type LocalOrder struct {
	OrderRequest
	GatewayNo string
	Status    string // created, paid, failed
	TxnID     string
}

// Delivery is one callback the local gateway sent: exactly the bytes and
// headers, and the answer it got.
type Delivery struct {
	URL    string
	Header http.Header
	Body   []byte
	Status int // the receiver's HTTP status; 0 when unreachable
	Answer string
}

// NewLocal returns a local gateway for merchant with secret.
func NewLocal(merchant, secret string) *Local {
	return &Local{Merchant: merchant, Secret: secret, orders: map[string]*LocalOrder{}}
}

func (l *Local) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

func (l *Local) client() *http.Client {
	if l.Client != nil {
		return l.Client
	}
	return http.DefaultClient
}

// Handler returns the gateway's HTTP interface:
//
//	POST /v1/orders         create an order (signed by the merchant)
//	GET  /pay/{no}          the pay page
//	POST /pay/{no}          pay (or with outcome=fail, fail) and go back
func (l *Local) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/orders", l.handleCreate)
	mux.HandleFunc("GET /pay/{no}", l.handlePage)
	mux.HandleFunc("POST /pay/{no}", l.handlePay)
	return mux
}

func (l *Local) handleCreate(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		http.Error(w, "read body", http.StatusBadRequest)
		return
	}
	v := Verifier{Merchant: l.Merchant, Secret: l.Secret}
	if _, err := v.Verify(r.Header, body, l.now()); err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var o OrderRequest
	if err := json.Unmarshal(body, &o); err != nil || o.OrderID == "" || o.AmountFen <= 0 || o.NotifyURL == "" {
		http.Error(w, "order_id, amount_fen and notify_url are required", http.StatusBadRequest)
		return
	}
	l.mu.Lock()
	l.seq++
	no := fmt.Sprintf("GW%s%06d", l.now().Format("20060102"), l.seq)
	l.orders[no] = &LocalOrder{OrderRequest: o, GatewayNo: no, Status: "created"}
	l.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(Order{OrderID: o.OrderID, GatewayNo: no, PayURL: strings.TrimRight(l.Base, "/") + "/pay/" + no})
}

var payPage = template.Must(template.New("pay").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>收银台 / Checkout</title></head>
<body><main>
<h1>收银台 · Local payment gateway</h1>
<p>订单 / Order: <span id="order">{{.OrderID}}</span></p>
<p>{{.Subject}}</p>
<p>金额 / Amount: ¥<strong id="amount">{{.Yuan}}</strong></p>
{{if eq .Status "created"}}
<form method="post" action="/pay/{{.GatewayNo}}"><button id="pay" type="submit" name="outcome" value="pay">确认支付 / Pay</button></form>
<form method="post" action="/pay/{{.GatewayNo}}"><button id="fail" type="submit" name="outcome" value="fail">模拟失败 / Fail</button></form>
{{else}}<p id="status">{{.Status}}</p>{{end}}
</main></body></html>`))

func (l *Local) order(no string) (LocalOrder, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	o, ok := l.orders[no]
	if !ok {
		return LocalOrder{}, false
	}
	return *o, true
}

func (l *Local) handlePage(w http.ResponseWriter, r *http.Request) {
	o, ok := l.order(r.PathValue("no"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	yuan := fmt.Sprintf("%d.%02d", o.AmountFen/100, o.AmountFen%100)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = payPage.Execute(w, map[string]any{"OrderID": o.OrderID, "Subject": o.Subject, "Yuan": yuan, "Status": o.Status,
		"GatewayNo": o.GatewayNo})
}

func (l *Local) handlePay(w http.ResponseWriter, r *http.Request) {
	no := r.PathValue("no")
	status := StatusPaid
	if r.FormValue("outcome") == "fail" {
		status = StatusFailed
	}
	d, err := l.Settle(r.Context(), no, status)
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	o, _ := l.order(no)
	if d.Status/100 != 2 {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprintf(w, "merchant answered %d: %s\n", d.Status, d.Answer)
		return
	}
	if o.ReturnURL == "" {
		fmt.Fprintln(w, "paid")
		return
	}
	http.Redirect(w, r, o.ReturnURL, http.StatusSeeOther)
}

// Settle marks order no paid (status StatusPaid, with a new transaction id)
// or failed, sends the signed callback to its notify URL and returns the
// delivery. Settling a settled order sends the same outcome again with a
// new nonce, as a gateway retrying would.
func (l *Local) Settle(ctx context.Context, no, status string) (Delivery, error) {
	l.mu.Lock()
	o, ok := l.orders[no]
	if !ok {
		l.mu.Unlock()
		return Delivery{}, fmt.Errorf("no order %s", no)
	}
	if o.Status == "created" {
		o.Status = status
		l.seq++
		o.TxnID = fmt.Sprintf("T%s%08d", l.now().Format("20060102150405"), l.seq)
	}
	cb := Callback{MerchantID: l.Merchant, OrderID: o.OrderID, GatewayNo: o.GatewayNo, TxnID: o.TxnID, AmountFen: o.AmountFen,
		Status: o.Status, PaidAt: l.now().UTC().Truncate(time.Second)}
	notify := o.NotifyURL
	l.mu.Unlock()
	body, _ := json.Marshal(cb)
	return l.Send(ctx, notify, body, l.now())
}

// Send signs body at time at and posts it to url as a callback, and
// records the delivery.
func (l *Local) Send(ctx context.Context, url string, body []byte, at time.Time) (Delivery, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return Delivery{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	SignRequest(req, l.Merchant, l.Secret, body, at)
	return l.Deliver(ctx, Delivery{URL: url, Header: req.Header.Clone(), Body: body})
}

// Deliver posts d's body with d's headers exactly (a replay, or a forgery
// a test made) and returns it with the answer; the delivery is recorded.
func (l *Local) Deliver(ctx context.Context, d Delivery) (Delivery, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Body))
	if err != nil {
		return d, err
	}
	req.Header = d.Header.Clone()
	resp, err := l.client().Do(req)
	if err == nil {
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
		resp.Body.Close()
		d.Status, d.Answer = resp.StatusCode, strings.TrimSpace(string(raw))
	}
	l.mu.Lock()
	l.sent = append(l.sent, d)
	l.mu.Unlock()
	return d, err
}

// Sent returns the callbacks delivered so far, oldest first.
func (l *Local) Sent() []Delivery {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Delivery(nil), l.sent...)
}

// Orders returns the orders the gateway holds, by gateway order number.
func (l *Local) Orders() map[string]LocalOrder {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[string]LocalOrder, len(l.orders))
	for k, o := range l.orders {
		out[k] = *o
	}
	return out
}

// GatewayNo returns the gateway order number of our order id, or "".
func (l *Local) GatewayNo(orderID string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	for no, o := range l.orders {
		if o.OrderID == orderID {
			return no
		}
	}
	return ""
}
