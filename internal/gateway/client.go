package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"accord/internal/errs"
)

// Config configures the adapter: the gateway's base URL, our merchant id
// and the shared secret, and where the gateway should call us back.
type Config struct {
	URL        string // e.g. "https://pay.example.cn"; orders are created at URL + "/v1/orders"
	MerchantID string
	Secret     string
	// NotifyURL is where the gateway posts callbacks, e.g.
	// "https://accord.example.cn/api/v1/gateway/callback"; ReturnBase is the
	// portal's public base, e.g. "https://accord.example.cn" (the pay page
	// sends the borrower back to ReturnBase + "/my/pay/return?order=…").
	NotifyURL  string
	ReturnBase string
	Timeout    time.Duration    // per request; 10s when zero
	Client     *http.Client     // a plain client when nil
	Now        func() time.Time // time.Now when nil
}

// Client creates payment orders with the gateway. It is safe for
// concurrent use.
type Client struct{ cfg Config }

// NewClient returns a Client for cfg. It returns an Invalid error when the
// URL is not http(s) or the merchant id or secret is missing.
func NewClient(cfg Config) (*Client, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errs.Errorf(errs.Invalid, "Payment gateway URL %q is not an http(s) URL.", cfg.URL)
	}
	if cfg.MerchantID == "" || cfg.Secret == "" {
		return nil, errs.Errorf(errs.Invalid, "The payment gateway needs a merchant id and a secret.")
	}
	cfg.URL = strings.TrimRight(cfg.URL, "/")
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Client{cfg: cfg}, nil
}

// Config returns the client's configuration (for the callback verifier
// and the return URL).
func (c *Client) Config() Config { return c.cfg }

// Verifier returns the verifier of callbacks signed with the client's
// merchant id and secret.
func (c *Client) Verifier() Verifier {
	return Verifier{Merchant: c.cfg.MerchantID, Secret: c.cfg.Secret}
}

// CreateOrder creates order o with the gateway (filling in the merchant id,
// currency and notify URL when empty) and returns the gateway's order number
// and pay page. It returns an Internal error when the gateway cannot be
// reached or refuses (with its message), and Invalid for a bad answer.
func (c *Client) CreateOrder(ctx context.Context, o OrderRequest) (Order, error) {
	if o.MerchantID == "" {
		o.MerchantID = c.cfg.MerchantID
	}
	if o.Currency == "" {
		o.Currency = "CNY"
	}
	if o.NotifyURL == "" {
		o.NotifyURL = c.cfg.NotifyURL
	}
	body, err := json.Marshal(o)
	if err != nil {
		return Order{}, fmt.Errorf("encode order: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.URL+"/v1/orders", bytes.NewReader(body))
	if err != nil {
		return Order{}, fmt.Errorf("create order request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	SignRequest(req, c.cfg.MerchantID, c.cfg.Secret, body, c.cfg.Now())
	resp, err := c.cfg.Client.Do(req)
	if err != nil {
		return Order{}, errs.Errorf(errs.Internal, "The payment gateway cannot be reached: %v", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return Order{}, errs.Errorf(errs.Internal, "The payment gateway refused the order (%d): %s", resp.StatusCode,
			strings.TrimSpace(string(raw)))
	}
	var out Order
	if err := json.Unmarshal(raw, &out); err != nil || out.PayURL == "" || out.OrderID != o.OrderID {
		return Order{}, errs.Errorf(errs.Internal, "The payment gateway's answer to order %s is not valid.", o.OrderID)
	}
	return out, nil
}
