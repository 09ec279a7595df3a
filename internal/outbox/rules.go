package outbox

import (
	"strconv"
	"strings"
	"time"

	"accord/internal/compliance"
)

// Retry and lease settings.
const (
	// MaxAttempts is how many times a message is handed to its provider
	// before it fails for good.
	MaxAttempts = 8
	// FirstRetry is the wait after the first failure; each further failure
	// doubles it, up to MaxRetry.
	FirstRetry = time.Minute
	MaxRetry   = time.Hour
	// Lease is how long a sender owns a claimed message. A sender that
	// crashed loses its claim when the lease ends and another picks the
	// message up; it must be longer than one send takes (the adapters time
	// out after 10–15 s).
	Lease = 2 * time.Minute
	// MaxHold is how long a message may wait for the borrower's window to
	// open. A reminder that cannot go out within two weeks of being queued
	// is stale (the longest holiday is nine days).
	MaxHold = 14 * 24 * time.Hour
)

// Backoff returns the wait after the attempts-th failed attempt: 1 min,
// 2 min, 4 min … capped at one hour.
func Backoff(attempts int) time.Duration {
	d := FirstRetry
	for i := 1; i < attempts && d < MaxRetry; i++ {
		d *= 2
	}
	return min(d, MaxRetry)
}

// NextAttempt returns when to try again after the attempts-th failed
// attempt at now.
func NextAttempt(attempts int, now time.Time) time.Time {
	return now.Add(Backoff(attempts))
}

// Retry decides what a transient failure at now means for m: queued again
// after a backoff, or failed once MaxAttempts are spent. It records err as
// LastError.
func Retry(m *Message, err string, now time.Time) {
	m.LastError = err
	m.LeaseUntil = time.Time{}
	if m.Attempts >= MaxAttempts {
		m.Status = Failed
		m.LastError = "attempts exhausted: " + err
		return
	}
	m.Status = Queued
	m.NotBefore = NextAttempt(m.Attempts, now)
}

// Proposal returns the contact m would be, for the governor: a message to
// the borrower about m's loan, automated unless a person wrote it (By is
// lender or an agency). at is the moment it would go out.
func Proposal(m *Message, at time.Time) compliance.Proposed {
	by := m.By
	if by == "" {
		by = "system"
	}
	var debts []string
	if m.LoanID > 0 {
		debts = []string{strconv.FormatInt(m.LoanID, 10)}
	}
	purpose := m.Purpose
	if purpose == "" {
		purpose = compliance.PurposeReminder
	}
	text := m.Body
	if m.Subject != "" {
		text = m.Subject + "\n" + m.Body
	}
	return compliance.Proposed{
		At: at, Channel: compliance.Channel(m.Channel), To: m.To, Party: compliance.ToBorrower,
		By: by, Automated: m.Automated(), Debts: debts, Text: text, TextSource: "message", Purpose: purpose,
	}
}

// Automated reports whether m comes from a campaign rather than a person.
func (m *Message) Automated() bool { return m.By == "" || m.By == "system" }

// Govern applies the governor's answer d about sending m at now. next is
// the earliest time the contact would be allowed (compliance
// Governor.NextAllowed), or zero when waiting cannot help.
//
//   - allowed (allow or warn): m keeps its status; the caller sends it.
//   - not allowed, but allowed at next, within MaxHold of m's creation:
//     held until next.
//   - anything else (a rule that time does not lift, such as a vulnerable
//     borrower or a cease request, or one that needs a person's approval,
//     which an automated message never gets): blocked for good.
//
// It reports whether m may be sent now.
func Govern(m *Message, d compliance.Decision, next time.Time, now time.Time) bool {
	m.Decision = d
	if d.Allowed() {
		return true
	}
	m.LeaseUntil = time.Time{}
	created := m.CreatedAt
	if created.IsZero() {
		created = now
	}
	if !next.IsZero() && next.After(now) && next.Sub(created) <= MaxHold {
		m.Status, m.NotBefore = Held, next
		m.LastError = "held until the allowed window: " + strings.Join(d.Rules, ", ")
		return false
	}
	m.Status = Blocked
	m.LastError = "blocked by " + strings.Join(d.Rules, ", ")
	return false
}
