package notify

import (
	"context"
	"crypto/tls"
	"fmt"
	netmail "net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/wneessen/go-mail"

	"accord/internal/errs"
)

// TLSMode says how the SMTP connection is encrypted.
type TLSMode string

// The TLS modes.
const (
	TLSNone     TLSMode = "none"     // plain text: a relay on loopback, or mailpit in tests
	TLSStartTLS TLSMode = "starttls" // upgrade with STARTTLS, which the server must offer (port 587)
	TLSImplicit TLSMode = "tls"      // TLS from the first byte, "SMTPS" (port 465)
)

// SMTPConfig configures the email adapter. Host and From are required.
type SMTPConfig struct {
	Host string
	Port int // default 25, 587 or 465 by TLS mode
	// Username and Password log in when Username is set. Without TLS, the
	// password is only sent to a server on loopback.
	Username string
	Password string
	From     string // e.g. "某某消费金融 <notice@lender.example.cn>"
	TLS      TLSMode
	// TLSConfig overrides the TLS settings (say, a private CA); default
	// verifies Host with the system roots and requires TLS 1.2.
	TLSConfig *tls.Config
	Timeout   time.Duration // per message, connecting included; default 15s
	// MessageIDDomain is the right-hand side of generated Message-IDs;
	// default the domain of From.
	MessageIDDomain string
	Now             func() time.Time // default time.Now; the Date header and Receipt.At
}

// SMTP sends email through an SMTP server with one connection per message.
// It is safe for concurrent use.
type SMTP struct {
	cfg  SMTPConfig
	from *netmail.Address
}

var _ Sender = (*SMTP)(nil)

// NewSMTP returns an email adapter for cfg, with defaults filled in. It
// returns an Invalid error if Host or From is missing or malformed or the
// TLS mode is unknown.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	if cfg.Host == "" {
		return nil, errs.Errorf(errs.Invalid, "SMTP host is required.")
	}
	from, err := netmail.ParseAddress(cfg.From)
	if err != nil {
		return nil, errs.Errorf(errs.Invalid, "SMTP sender %q is not an email address.", cfg.From)
	}
	ports := map[TLSMode]int{TLSNone: 25, TLSStartTLS: 587, TLSImplicit: 465}
	if cfg.TLS == "" {
		cfg.TLS = TLSStartTLS
	}
	if _, ok := ports[cfg.TLS]; !ok {
		return nil, errs.Errorf(errs.Invalid, "SMTP TLS mode %q is not none, starttls or tls.", cfg.TLS)
	}
	if cfg.Port == 0 {
		cfg.Port = ports[cfg.TLS]
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	if cfg.TLSConfig == nil {
		cfg.TLSConfig = &tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12}
	}
	if cfg.MessageIDDomain == "" {
		_, cfg.MessageIDDomain, _ = strings.Cut(from.Address, "@")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &SMTP{cfg: cfg, from: from}, nil
}

// MessageID returns the Message-ID (without angle brackets) that s gives the
// email for outbox message id: the same on every attempt, so a resend is
// recognisable as one.
func (s *SMTP) MessageID(id int64) string {
	return "accord.outbox." + strconv.FormatInt(id, 10) + "@" + s.cfg.MessageIDDomain
}

// Send delivers m as a UTF-8 plain-text email (base64 body, RFC 2047
// encoded subject). It returns a Receipt whose ProviderID is the
// Message-ID, or an *Error (see Kind). The deadline of ctx, if sooner than
// Timeout, bounds the whole SMTP conversation.
func (s *SMTP) Send(ctx context.Context, m Message) (Receipt, error) {
	msg, err := s.message(m)
	if err != nil {
		return Receipt{}, err
	}
	timeout := s.cfg.Timeout
	if d, ok := ctx.Deadline(); ok {
		timeout = min(timeout, time.Until(d))
	}
	if err := ctx.Err(); err != nil || timeout <= 0 {
		return Receipt{}, transportError(Email, context.DeadlineExceeded)
	}
	c, err := mail.NewClient(s.cfg.Host, s.options(timeout)...)
	if err != nil {
		return Receipt{}, &Error{Channel: Email, Kind: KindAccount, Err: err}
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return Receipt{}, smtpError(err)
	}
	return Receipt{ProviderID: s.MessageID(m.ID), Status: StatusAccepted, At: s.cfg.Now()}, nil
}

func (s *SMTP) options(timeout time.Duration) []mail.Option {
	opts := []mail.Option{
		mail.WithPort(s.cfg.Port),
		mail.WithTimeout(timeout),
		mail.WithTLSConfig(s.cfg.TLSConfig),
	}
	switch s.cfg.TLS {
	case TLSNone:
		opts = append(opts, mail.WithTLSPortPolicy(mail.NoTLS))
	case TLSStartTLS:
		opts = append(opts, mail.WithTLSPortPolicy(mail.TLSMandatory))
	case TLSImplicit:
		opts = append(opts, mail.WithSSL())
	}
	if s.cfg.Username != "" {
		auth := mail.SMTPAuthAutoDiscover
		if s.cfg.TLS == TLSNone {
			// go-mail's PLAIN refuses an unencrypted connection unless the
			// server is on loopback, which is the only place we want it.
			auth = mail.SMTPAuthPlain
		}
		opts = append(opts, mail.WithSMTPAuth(auth),
			mail.WithUsername(s.cfg.Username), mail.WithPassword(s.cfg.Password))
	}
	return opts
}

// message checks m and builds the email for it.
func (s *SMTP) message(m Message) (*mail.Msg, error) {
	reject := func(format string, args ...any) error {
		return &Error{Channel: Email, Kind: KindRejected, Message: fmt.Sprintf(format, args...)}
	}
	switch {
	case m.Channel != Email:
		return nil, reject("message %d is for channel %q", m.ID, m.Channel)
	case m.ID <= 0:
		return nil, reject("message has no outbox id")
	case strings.TrimSpace(m.Subject) == "" && strings.TrimSpace(m.Body) == "":
		return nil, reject("message %d has neither subject nor body", m.ID)
	}
	to, err := netmail.ParseAddress(m.To)
	if err != nil {
		return nil, &Error{Channel: Email, Kind: KindInvalidRecipient,
			Message: fmt.Sprintf("message %d: %q is not an email address", m.ID, m.To)}
	}
	msg := mail.NewMsg(mail.WithCharset(mail.CharsetUTF8), mail.WithEncoding(mail.EncodingB64),
		mail.WithNoDefaultUserAgent())
	msg.FromMailAddress(s.from)
	msg.ToMailAddress(to)
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(s.MessageID(m.ID))
	msg.SetDateWithValue(s.cfg.Now())
	msg.SetGenHeader(mail.HeaderXMailer, "Accord")
	msg.SetGenHeader("X-Accord-Outbox-Id", strconv.FormatInt(m.ID, 10))
	if m.Lang != "" {
		msg.SetGenHeader(mail.HeaderContentLang, m.Lang)
	}
	// Text in MIME is CRLF-terminated before it is base64-encoded (RFC 2045 §6.8).
	body := strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\n", "\r\n")
	msg.SetBodyString(mail.TypeTextPlain, body)
	return msg, nil
}
