package outbox

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"accord/internal/compliance"
	"accord/internal/errs"
)

// Channel is how a message travels.
type Channel string

// The channels the outbox delivers through.
const (
	SMS   Channel = "sms"
	Email Channel = "email"
)

// Status is where a message stands in the outbox.
type Status string

// The statuses; see the package doc for how a message moves between them.
const (
	Queued    Status = "queued"    // waiting to be sent once NotBefore has passed
	Held      Status = "held"      // the governor said not now; waits until NotBefore
	Sending   Status = "sending"   // claimed by a sender until its lease ends
	Sent      Status = "sent"      // the provider accepted it
	Failed    Status = "failed"    // the provider refused it for good, or attempts ran out
	Blocked   Status = "blocked"   // the governor refused it; it will never be sent
	Cancelled Status = "cancelled" // withdrawn before it was sent
)

// Final reports whether s is an end state.
func (s Status) Final() bool {
	return s == Sent || s == Failed || s == Blocked || s == Cancelled
}

// Delivery is what the provider later reported about a sent message.
type Delivery string

// The delivery states of a sent message.
const (
	DeliveryAccepted  Delivery = "accepted"  // the provider took it; no report yet
	DeliveryDelivered Delivery = "delivered" // the carrier delivered it
	DeliveryFailed    Delivery = "failed"    // the carrier could not deliver it
)

// Message is one outbox row. To is plaintext in memory; the store encrypts
// it at rest and keeps a keyed hash and a masked copy beside it.
type Message struct {
	ID         int64   `json:"id"`
	BorrowerID int64   `json:"borrower_id"`
	CaseID     int64   `json:"case_id,omitempty"`
	LoanID     int64   `json:"loan_id,omitempty"`
	Channel    Channel `json:"channel"`
	To         string  `json:"to"` // E.164 phone number or email address
	TemplateID string  `json:"template_id,omitempty"`
	Lang       string  `json:"lang"`
	Subject    string  `json:"subject,omitempty"` // email only
	Body       string  `json:"body"`
	Purpose    string  `json:"purpose,omitempty"` // compliance.PurposeReminder (default), PurposeCollection …
	// By is who sends it: "system" (the default: an automated campaign)
	// or, for a message a person wrote, "lender" or "agency:<id>"; UserID
	// is that person.
	By     string `json:"by"`
	UserID int64  `json:"user_id,omitempty"`
	// DedupKey makes queueing idempotent: a second message with the same
	// key is not created. Build it from what makes the message unique, such
	// as "reminder:<loan>:<as-of>".
	DedupKey string `json:"dedup_key"`
	Status   Status `json:"status"`
	// NotBefore is the earliest time to send: now for a new message, the
	// retry time after a transient failure, the opening of the borrower's
	// allowed window for a held one.
	NotBefore time.Time `json:"not_before"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error,omitempty"`
	// LeaseUntil is when a claim by a sender lapses (status Sending).
	LeaseUntil time.Time `json:"lease_until,omitzero"`
	ProviderID string    `json:"provider_id,omitempty"`
	// Decision is the governor's latest answer about this message: at
	// enqueue, then at every send attempt. A zero Action means not checked.
	Decision    compliance.Decision `json:"decision"`
	Delivery    Delivery            `json:"delivery,omitempty"`
	CreatedAt   time.Time           `json:"created_at"`
	SentAt      time.Time           `json:"sent_at,omitzero"`
	DeliveredAt time.Time           `json:"delivered_at,omitzero"`
	UpdatedAt   time.Time           `json:"updated_at"`
	// Secret is a one-time secret the message carries (a sign-in or an
	// acceptance code), which Body names by SecretMark. The store keeps it
	// encrypted apart from the text and clears it once the message is
	// final; it is filled in only for the sender (sqlstore
	// RenderMessageSecret), so the code is in no stored text, listing or
	// contact record.
	Secret string `json:"-"`
}

// SecretMark is where a message's Secret goes in its Body.
const SecretMark = "{secret}"

// StoredBody is m's text as it may be recorded: with the secret, when the
// sender has put it in, masked again.
func (m *Message) StoredBody() string {
	if m.Secret == "" {
		return m.Body
	}
	return strings.ReplaceAll(m.Body, m.Secret, SecretMark)
}

// Limits of a message.
const (
	MaxBody    = 2000 // characters; an SMS gateway takes about 500
	MaxSubject = 200
	MaxKey     = 200
)

// Validate checks what a message needs before it is queued and returns an
// Invalid error naming every fault.
func (m *Message) Validate() error {
	var bad []errs.FieldError
	fail := func(field, format string, args ...any) {
		bad = append(bad, errs.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if m.BorrowerID <= 0 {
		fail("borrower_id", "is required")
	}
	switch m.Channel {
	case SMS:
		if !strings.HasPrefix(m.To, "+") || len(m.To) < 8 || strings.Trim(m.To[1:], "0123456789") != "" {
			fail("to", "%q is not a phone number in E.164 form (+8613800138000)", m.To)
		}
	case Email:
		if a, err := mail.ParseAddress(m.To); err != nil || a.Address != m.To {
			fail("to", "%q is not an email address", m.To)
		}
		if m.Subject == "" || utf8.RuneCountInString(m.Subject) > MaxSubject {
			fail("subject", "is required for email and at most %d characters", MaxSubject)
		}
	default:
		fail("channel", "%q is not sms or email", m.Channel)
	}
	if strings.TrimSpace(m.Body) == "" || utf8.RuneCountInString(m.Body) > MaxBody {
		fail("body", "is required and at most %d characters", MaxBody)
	}
	if m.Secret != "" && !strings.Contains(m.Body, SecretMark) {
		fail("body", "must name the secret as %s", SecretMark)
	}
	if m.DedupKey == "" || len(m.DedupKey) > MaxKey {
		fail("dedup_key", "is required and at most %d bytes", MaxKey)
	}
	switch m.Status {
	case "", Queued, Held, Blocked, Cancelled:
	default:
		fail("status", "a new message is queued, held, blocked or cancelled, not %q", m.Status)
	}
	if len(bad) > 0 {
		return errs.Fields("The message is not valid.", bad...)
	}
	return nil
}
