package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"accord/internal/errs"
)

// SMSConfig configures the SMS gateway adapter. Only URL, a credential
// (AppKey and AppSecret, or Token) and Sign are required; every other field
// has a default that matches the protocol described in the package doc.
type SMSConfig struct {
	URL       string // the gateway's send endpoint, e.g. "https://sms.example.cn/v1/send"
	AppKey    string // sent in Headers.AppKey
	AppSecret string // HMAC-SHA256 key for Headers.Signature
	Token     string // instead of AppKey/AppSecret: "Authorization: Bearer Token"

	// Sign is the registered SMS signature (短信签名), e.g. "【某某消费金融】".
	// It is sent in Fields.Sign, or, with SignInContent, put in front of
	// the content the way content-mode gateways expect.
	Sign          string
	SignInContent bool

	// NationalNumbers sends mainland numbers without the country code
	// ("13800138000" for "+8613800138000"), for gateways that want that.
	NationalNumbers bool
	// OutIDPrefix goes in front of the decimal Message.ID in out_id, to
	// keep ids unique when several systems share one gateway account.
	OutIDPrefix string

	Fields  SMSFields       // JSON field names; zero fields take defaults
	Headers SMSHeaders      // header names; zero fields take defaults
	Report  SMSReportFormat // delivery report format; zero fields take defaults

	// OKCode is the response code that means accepted; default "OK".
	OKCode string
	// Codes maps gateway error codes to kinds, on top of the built-in
	// table (see the package doc); an entry here wins.
	Codes map[string]Kind

	Timeout time.Duration    // per request; default 10s
	Client  *http.Client     // default: a client without its own timeout
	Now     func() time.Time // default time.Now; used for the signature timestamp and Receipt.At
}

// SMSFields names the JSON fields of the send request and its response.
// Response fields may be dotted paths into nested objects and arrays, e.g.
// "Response.SendStatusSet.0.Code" for a Tencent-style answer.
type SMSFields struct {
	Phone          string // default "phone"
	Sign           string // default "sign"
	Content        string // default "content"
	TemplateCode   string // default "template_code"
	TemplateParams string // default "template_params"; an object of strings
	OutID          string // default "out_id"

	Code    string // default "code"
	Message string // default "message"
	BizID   string // default "biz_id"
}

// SMSHeaders names the request headers that carry the credentials.
type SMSHeaders struct {
	AppKey    string // default "X-App-Key"
	Timestamp string // default "X-Timestamp"; Unix seconds
	Signature string // default "X-Signature"; see SignSMS
}

// SMSGateway sends SMS through an HTTP JSON gateway. It is safe for
// concurrent use.
type SMSGateway struct {
	cfg   SMSConfig
	codes map[string]Kind
}

var _ Sender = (*SMSGateway)(nil)

// NewSMSGateway returns an SMS adapter for cfg, with defaults filled in. It
// returns an Invalid error if URL, Sign or the credentials are missing.
func NewSMSGateway(cfg SMSConfig) (*SMSGateway, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errs.Errorf(errs.Invalid, "SMS gateway URL %q is not an http(s) URL.", cfg.URL)
	}
	if cfg.Sign == "" {
		return nil, errs.Errorf(errs.Invalid, "SMS signature (Sign) is required.")
	}
	if cfg.Token == "" && (cfg.AppKey == "" || cfg.AppSecret == "") {
		return nil, errs.Errorf(errs.Invalid, "SMS gateway needs AppKey and AppSecret, or Token.")
	}
	cfg.Fields = cfg.Fields.withDefaults()
	cfg.Headers = cfg.Headers.withDefaults()
	cfg.Report = cfg.Report.withDefaults()
	cfg.OKCode = or(cfg.OKCode, "OK")
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	codes := maps.Clone(smsCodes)
	maps.Copy(codes, cfg.Codes)
	return &SMSGateway{cfg: cfg, codes: codes}, nil
}

// Send submits m to the gateway. The out_id is OutIDPrefix followed by
// m.ID, so a retry of the same message is deduplicated by the gateway. It
// returns a Receipt with the gateway's biz_id, or an *Error (see Kind).
func (g *SMSGateway) Send(ctx context.Context, m Message) (Receipt, error) {
	body, err := g.requestBody(m)
	if err != nil {
		return Receipt{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, g.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return Receipt{}, &Error{Channel: SMS, Kind: KindAccount, Err: err}
	}
	g.authorize(req, body)
	resp, err := g.cfg.Client.Do(req)
	if err != nil {
		return Receipt{}, transportError(SMS, err)
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return Receipt{}, transportError(SMS, fmt.Errorf("read response: %w", err))
	}
	bizID, err := g.interpret(resp.StatusCode, respBody)
	if err != nil {
		return Receipt{}, err
	}
	return Receipt{ProviderID: bizID, Status: StatusAccepted, At: g.cfg.Now()}, nil
}

// requestBody checks m and encodes the gateway request for it.
func (g *SMSGateway) requestBody(m Message) ([]byte, error) {
	reject := func(msg string) error { return &Error{Channel: SMS, Kind: KindRejected, Message: msg} }
	switch {
	case m.Channel != SMS:
		return nil, reject(fmt.Sprintf("message %d is for channel %q", m.ID, m.Channel))
	case m.ID <= 0:
		return nil, reject("message has no outbox id")
	case m.Template == "" && strings.TrimSpace(m.Body) == "":
		return nil, reject(fmt.Sprintf("message %d has no body", m.ID))
	case strings.TrimSpace(m.To) == "":
		return nil, &Error{Channel: SMS, Kind: KindInvalidRecipient, Message: fmt.Sprintf("message %d has no phone number", m.ID)}
	}
	f := g.cfg.Fields
	req := map[string]any{
		f.Phone: g.phone(m.To),
		f.OutID: g.cfg.OutIDPrefix + strconv.FormatInt(m.ID, 10),
	}
	if !g.cfg.SignInContent {
		req[f.Sign] = g.cfg.Sign
	}
	switch {
	case m.Template != "":
		req[f.TemplateCode] = m.Template
		params := m.Params
		if params == nil {
			params = map[string]string{}
		}
		req[f.TemplateParams] = params
	case g.cfg.SignInContent:
		req[f.Content] = g.cfg.Sign + m.Body
	default:
		req[f.Content] = m.Body
	}
	return json.Marshal(req)
}

func (g *SMSGateway) phone(to string) string {
	to = strings.TrimSpace(to)
	if g.cfg.NationalNumbers {
		for _, cc := range []string{"+86", "0086"} {
			if n, ok := strings.CutPrefix(to, cc); ok {
				return n
			}
		}
	}
	return to
}

func (g *SMSGateway) authorize(req *http.Request, body []byte) {
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	if g.cfg.Token != "" {
		req.Header.Set("Authorization", "Bearer "+g.cfg.Token)
		return
	}
	ts := strconv.FormatInt(g.cfg.Now().Unix(), 10)
	h := g.cfg.Headers
	req.Header.Set(h.AppKey, g.cfg.AppKey)
	req.Header.Set(h.Timestamp, ts)
	req.Header.Set(h.Signature, SignSMS(g.cfg.AppSecret, ts, body))
}

// SignSMS returns the request signature: the lower-case hex HMAC-SHA256,
// keyed with the app secret, of the timestamp header value, a newline and
// the exact request body.
func SignSMS(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp))
	mac.Write([]byte{'\n'})
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

func (f SMSFields) withDefaults() SMSFields {
	f.Phone = or(f.Phone, "phone")
	f.Sign = or(f.Sign, "sign")
	f.Content = or(f.Content, "content")
	f.TemplateCode = or(f.TemplateCode, "template_code")
	f.TemplateParams = or(f.TemplateParams, "template_params")
	f.OutID = or(f.OutID, "out_id")
	f.Code = or(f.Code, "code")
	f.Message = or(f.Message, "message")
	f.BizID = or(f.BizID, "biz_id")
	return f
}

func (h SMSHeaders) withDefaults() SMSHeaders {
	h.AppKey = or(h.AppKey, "X-App-Key")
	h.Timestamp = or(h.Timestamp, "X-Timestamp")
	h.Signature = or(h.Signature, "X-Signature")
	return h
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
