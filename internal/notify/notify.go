package notify

import (
	"context"
	"time"
)

// Sender delivers one message through one channel. It is the seam between
// the outbox and the outside world: the SMTP and SMS adapters implement it
// for real, Fake implements it for use-case tests.
//
// Send returns a Receipt when the provider has taken the message. On failure
// the error says whether trying again can help: Permanent(err) is true when
// it cannot (invalid number, blacklisted, rejected content) and false for
// everything else (timeouts, 5xx, 429, connection refused …), which the
// caller retries with backoff. Send may be retried with the same Message:
// the SMS adapter passes Message.ID as the gateway's out_id, which gateways
// deduplicate, and the SMTP adapter derives a stable Message-ID from it.
type Sender interface {
	Send(ctx context.Context, m Message) (Receipt, error)
}

// Channel names a delivery channel.
type Channel string

// The channels this package delivers through.
const (
	SMS   Channel = "sms"
	Email Channel = "email"
)

// Message is one outbound message, normally one outbox row.
type Message struct {
	// ID is the outbox id. It is the idempotency key: the SMS out_id and
	// the email Message-ID are derived from it, so a resend after a crash
	// or a lost response is recognisable downstream.
	ID      int64
	Channel Channel
	// To is a phone number (E.164, "+8613800138000") or an email address.
	To      string
	Subject string // email only
	// Body is the text as the recipient will read it, without the SMS
	// signature (the adapter adds it).
	Body string
	// Lang is a BCP 47 tag such as "zh-CN" or "en"; email sends it as
	// Content-Language.
	Lang string
	// Template and Params are for SMS gateways that only send pre-approved
	// templates (模板短信): when Template is set the adapter sends the
	// template code and its parameters instead of Body. Body should still
	// hold the rendered text, for the record and for the content screen.
	Template string
	Params   map[string]string
}

// Status is where a message stands with its provider.
type Status string

// The statuses. A send returns StatusAccepted; delivery reports (see
// ParseSMSReport) move a message on to StatusDelivered or StatusFailed.
const (
	StatusAccepted  Status = "accepted"
	StatusDelivered Status = "delivered"
	StatusFailed    Status = "failed"
)

// Receipt is the provider's acknowledgement of one message.
type Receipt struct {
	// ProviderID is the provider's id for the message: the SMS gateway's
	// biz_id, or the email Message-ID (without angle brackets).
	ProviderID string
	Status     Status
	At         time.Time
}

// Router is a Sender that hands each message to the Sender registered for
// its channel. A message for a channel with no Sender fails permanently.
//
//	s := notify.Router{notify.SMS: sms, notify.Email: smtp}
//	receipt, err := s.Send(ctx, m)
type Router map[Channel]Sender

// Send delivers m through the Sender for m.Channel.
func (r Router) Send(ctx context.Context, m Message) (Receipt, error) {
	s, ok := r[m.Channel]
	if !ok {
		return Receipt{}, &Error{Channel: m.Channel, Kind: KindRejected,
			Message: "no sender for channel " + string(m.Channel)}
	}
	return s.Send(ctx, m)
}
