package notify

import (
	"context"
	"errors"
	"fmt"
	"net"
)

// Kind classifies a delivery failure. It decides whether the sender tries
// again (see Permanent) and lets the caller record the right contact
// outcome (KindInvalidRecipient is the contact log's invalid_number).
type Kind string

// The kinds. The retryable ones are listed first.
const (
	// KindUnknown is a failure we cannot read, such as an unlisted gateway
	// code or a 2xx answer without a body. Retryable: the message may
	// well be fine, and the out_id or Message-ID keeps a retry from
	// delivering twice.
	KindUnknown Kind = "unknown"
	// KindTimeout: no answer in time (our deadline or the provider's).
	KindTimeout Kind = "timeout"
	// KindUnavailable: connection refused or reset, HTTP 5xx, SMTP 4xx.
	KindUnavailable Kind = "unavailable"
	// KindRateLimited: HTTP 429 or the gateway's flow control (流控).
	KindRateLimited Kind = "rate_limited"
	// KindAccount: our side is misconfigured or out of credit (bad key or
	// signature, balance exhausted, TLS or login refused). Retryable
	// because the message is not at fault: once an operator fixes the
	// account, the queued messages should go out. It needs an alert.
	KindAccount Kind = "account"

	// KindInvalidRecipient: the number or address does not exist or is
	// malformed. Permanent.
	KindInvalidRecipient Kind = "invalid_recipient"
	// KindBlocked: the recipient is blacklisted or has unsubscribed (退订),
	// at the gateway or the carrier. Permanent.
	KindBlocked Kind = "blocked"
	// KindRejected: the provider refuses this message: content, template
	// or signature not approved, a malformed request, SMTP 5xx, or a
	// message this package cannot send (no recipient, wrong channel).
	// Permanent.
	KindRejected Kind = "rejected"

	// KindDuplicate is not a failure: the gateway says it already has a
	// message with this out_id. It appears only in SMS code tables; the
	// adapter turns it into a successful Receipt.
	KindDuplicate Kind = "duplicate"
)

// Permanent reports whether a failure of kind k will recur on retry.
func (k Kind) Permanent() bool {
	switch k {
	case KindInvalidRecipient, KindBlocked, KindRejected:
		return true
	}
	return false
}

// Error is a failed delivery. Every error the adapters return is an *Error,
// possibly wrapped.
type Error struct {
	Channel Channel
	Kind    Kind
	// Code is the provider's own code: the gateway's error code
	// ("isv.MOBILE_NUMBER_ILLEGAL"), "HTTP 503", or the SMTP reply code
	// ("550 5.1.1").
	Code    string
	Message string
	Err     error // the underlying error, if any
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s %s", e.Channel, e.Kind)
	if e.Code != "" {
		s += " (" + e.Code + ")"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Permanent reports whether err is a delivery failure that trying again
// cannot fix: an invalid number or address, a blacklisted recipient, or
// content the provider rejects. It is false for nil and for everything else,
// including errors that are not an *Error, so that an unexpected failure is
// retried rather than silently dropped.
func Permanent(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind.Permanent()
}

// KindOf returns the Kind of a delivery failure: "" for nil, KindUnknown for
// an error that is not an *Error.
func KindOf(err error) Kind {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

// transportError classifies a failure to talk to the provider at all:
// timeouts (ours or the network's) and everything else at the connection
// level (refused, reset, DNS), all retryable.
func transportError(ch Channel, err error) *Error {
	kind := KindUnavailable
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		kind = KindTimeout
	}
	return &Error{Channel: ch, Kind: kind, Err: err}
}
