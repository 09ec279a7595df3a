package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strings"

	"github.com/wneessen/go-mail"
)

// smtpError classifies a failed SMTP delivery by the server's reply code
// (RFC 5321 §4.2: 4xx transient, 5xx permanent) and its enhanced status
// code (RFC 3463: 5.1.x is a bad address), or as a connection failure.
func smtpError(err error) *Error {
	var se *mail.SendError
	if errors.As(err, &se) && se.ErrorCode() != 0 {
		e := replyError(se.ErrorCode(), se.EnhancedStatusCode(), err)
		if se.Reason == mail.ErrSMTPMailFrom && e.Kind.Permanent() {
			e.Kind = KindAccount // the server refuses our sender: fix the config, keep the message
		}
		return e
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return replyError(te.Code, "", err)
	}
	var ne net.Error
	var cve *tls.CertificateVerificationError
	var uae x509.UnknownAuthorityError
	var hne x509.HostnameError
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled), errors.As(err, &ne):
		return transportError(Email, err)
	case errors.As(err, &cve), errors.As(err, &uae), errors.As(err, &hne),
		errors.Is(err, mail.ErrPlainAuthNotSupported), errors.Is(err, mail.ErrLoginAuthNotSupported),
		errors.Is(err, mail.ErrNoSupportedAuthDiscovered), strings.Contains(err.Error(), "STARTTLS"):
		return &Error{Channel: Email, Kind: KindAccount, Err: err}
	}
	return &Error{Channel: Email, Kind: KindUnknown, Err: err}
}

// replyError classifies an SMTP reply code with its enhanced status code.
func replyError(code int, enhanced string, err error) *Error {
	e := &Error{Channel: Email, Code: fmt.Sprint(code), Err: err}
	if enhanced != "" {
		e.Code += " " + enhanced
	}
	switch {
	case code == 530 || code == 534 || code == 535 || code == 538:
		e.Kind = KindAccount // authentication required or refused
	case code < 500:
		e.Kind = KindUnavailable
	case strings.HasPrefix(enhanced, "5.1."):
		e.Kind = KindInvalidRecipient
	case strings.HasPrefix(enhanced, "5.7."):
		e.Kind = KindBlocked // refused by policy: blocklisted sender or recipient
	case enhanced == "" && (code == 550 || code == 551 || code == 553):
		e.Kind = KindInvalidRecipient // mailbox unavailable, not local, or bad name
	default:
		e.Kind = KindRejected
	}
	return e
}
