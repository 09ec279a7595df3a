package gateway

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"accord/internal/errs"
)

// The header names of the protocol.
const (
	HeaderMerchant  = "X-Merchant-Id"
	HeaderTimestamp = "X-Timestamp"
	HeaderNonce     = "X-Nonce"
	HeaderSignature = "X-Signature"
)

// DefaultWindow is how far a signed request's timestamp may be from the
// receiver's clock, either way: a callback outside it is late and refused.
const DefaultWindow = 5 * time.Minute

// Sign returns hex(HMAC-SHA256(secret, timestamp + "\n" + nonce + "\n" + body)).
func Sign(secret, timestamp, nonce string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp))
	mac.Write([]byte{'\n'})
	mac.Write([]byte(nonce))
	mac.Write([]byte{'\n'})
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// NewNonce returns 16 random bytes in hex.
func NewNonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// SignRequest sets the merchant, timestamp, nonce and signature headers of
// r for body at now.
func SignRequest(r *http.Request, merchant, secret string, body []byte, now time.Time) {
	stamp, nonce := strconv.FormatInt(now.Unix(), 10), NewNonce()
	r.Header.Set(HeaderMerchant, merchant)
	r.Header.Set(HeaderTimestamp, stamp)
	r.Header.Set(HeaderNonce, nonce)
	r.Header.Set(HeaderSignature, Sign(secret, stamp, nonce, body))
}

// Verifier checks the signature and timestamp of signed requests. It keeps
// no state: replays are refused by the nonce the caller stores.
type Verifier struct {
	Merchant string
	Secret   string
	Window   time.Duration // DefaultWindow when zero
}

// Verify checks the headers h of a request with body at now and returns
// its nonce. It returns an Unauthorized error saying what is wrong: no
// secret configured, another merchant, a missing or malformed timestamp or
// nonce, a timestamp outside the window (late), or a signature that does
// not match (forged or altered).
func (v Verifier) Verify(h http.Header, body []byte, now time.Time) (string, error) {
	if v.Secret == "" {
		return "", errs.Errorf(errs.Unauthorized, "Payment gateway callbacks are not accepted: no gateway secret is configured.")
	}
	if m := strings.TrimSpace(h.Get(HeaderMerchant)); m != v.Merchant {
		return "", errs.Errorf(errs.Unauthorized, "%s is not our merchant id.", HeaderMerchant)
	}
	stamp := strings.TrimSpace(h.Get(HeaderTimestamp))
	sec, err := strconv.ParseInt(stamp, 10, 64)
	if err != nil || strconv.FormatInt(sec, 10) != stamp {
		return "", errs.Errorf(errs.Unauthorized, "Missing or malformed %s.", HeaderTimestamp)
	}
	nonce := strings.TrimSpace(h.Get(HeaderNonce))
	if len(nonce) < 8 || len(nonce) > 64 {
		return "", errs.Errorf(errs.Unauthorized, "Missing or malformed %s.", HeaderNonce)
	}
	w := v.Window
	if w <= 0 {
		w = DefaultWindow
	}
	if d := now.Sub(time.Unix(sec, 0)); d > w || d < -w {
		return "", errs.Errorf(errs.Unauthorized, "%s is outside the %s window (late or early).", HeaderTimestamp, w)
	}
	got, err := hex.DecodeString(strings.TrimSpace(h.Get(HeaderSignature)))
	want, _ := hex.DecodeString(Sign(v.Secret, stamp, nonce, body))
	if err != nil || !hmac.Equal(got, want) {
		return "", errs.Errorf(errs.Unauthorized, "%s does not match the request.", HeaderSignature)
	}
	return nonce, nil
}
