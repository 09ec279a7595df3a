package notify

import (
	"crypto/hmac"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
	"time"

	"accord/internal/errs"
)

// ReportAuth authenticates delivery-report pushes by the gateway's
// signature, the same scheme the gateway checks on our sends:
//
//	X-Timestamp: 1773104400                  (Unix seconds)
//	X-Signature: hex(HMAC-SHA256(secret, X-Timestamp + "\n" + body))
//
// A push is accepted only when the signature matches, the timestamp is
// within Window of now (either way), and the same signature was not
// accepted before within the window (a replay). Replays are remembered per
// process: with several nodes a push replayed to another node within the
// window is accepted there, which is harmless, because recording a delivery
// report is idempotent. It is safe for concurrent use.
type ReportAuth struct {
	secret []byte
	window time.Duration

	mu     sync.Mutex
	seen   map[string]time.Time // signature → its timestamp
	pruned time.Time
}

// DefaultReportWindow is how far a push's timestamp may be from our clock.
const DefaultReportWindow = 5 * time.Minute

// NewReportAuth returns a verifier for pushes signed with secret (the
// gateway's AppSecret, or a callback secret of its own), with the default
// window. An empty secret refuses every push.
func NewReportAuth(secret string) *ReportAuth {
	return &ReportAuth{secret: []byte(secret), window: DefaultReportWindow, seen: map[string]time.Time{}}
}

// Verify checks a push: its X-Timestamp and X-Signature header values and
// its body, at now. It returns an Unauthorized error saying what is wrong.
func (a *ReportAuth) Verify(timestamp, signature string, body []byte, now time.Time) error {
	if a == nil || len(a.secret) == 0 {
		return errs.Errorf(errs.Unauthorized, "SMS delivery reports are not accepted: no gateway secret is configured.")
	}
	sec, err := strconv.ParseInt(strings.TrimSpace(timestamp), 10, 64)
	if err != nil {
		return errs.Errorf(errs.Unauthorized, "Missing or malformed X-Timestamp.")
	}
	ts := time.Unix(sec, 0)
	if d := now.Sub(ts); d > a.window || d < -a.window {
		return errs.Errorf(errs.Unauthorized, "X-Timestamp is outside the %s window.", a.window)
	}
	got, err := hex.DecodeString(strings.TrimSpace(signature))
	want, _ := hex.DecodeString(SignSMS(string(a.secret), strconv.FormatInt(sec, 10), body))
	if err != nil || !hmac.Equal(got, want) || strconv.FormatInt(sec, 10) != strings.TrimSpace(timestamp) {
		return errs.Errorf(errs.Unauthorized, "X-Signature does not match the body.")
	}
	key := hex.EncodeToString(want)
	a.mu.Lock()
	defer a.mu.Unlock()
	if now.Sub(a.pruned) > a.window/10 {
		for k, t := range a.seen {
			if now.Sub(t) > a.window {
				delete(a.seen, k)
			}
		}
		a.pruned = now
	}
	if _, dup := a.seen[key]; dup {
		return errs.Errorf(errs.Unauthorized, "This delivery report was already received (replay).")
	}
	a.seen[key] = ts
	return nil
}
