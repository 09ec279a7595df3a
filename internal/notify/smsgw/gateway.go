package smsgw

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// The credentials the gateway accepts.
const (
	AppKey    = "accord-test"
	AppSecret = "accord-test-secret"
)

// Path is where the gateway takes send requests; URL returns it in full.
const Path = "/v1/sms/send"

// MaxContent is the longest content, in characters, the gateway accepts:
// the usual limit for a long (concatenated) SMS.
const MaxContent = 500

// Message is one message the gateway accepted.
type Message struct {
	OutID          string
	BizID          string
	Phone          string
	Sign           string
	Content        string
	TemplateCode   string
	TemplateParams map[string]string
	At             time.Time
}

// Gateway is a running test gateway. Its methods are safe for concurrent use.
type Gateway struct {
	srv    *httptest.Server
	closed chan struct{}
	once   sync.Once

	mu         sync.Mutex
	accepted   []Message
	byOutID    map[string]int // index into accepted
	requests   int
	duplicates int
	failNext   []int
	dropNext   int
	hang       time.Duration
	rejects    map[string]string
}

// New starts a gateway on a free port of 127.0.0.1. Close it when done.
func New() *Gateway {
	g := &Gateway{
		closed:  make(chan struct{}),
		byOutID: map[string]int{},
		rejects: map[string]string{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+Path, g.handleSend)
	g.srv = httptest.NewServer(mux)
	return g
}

// Start starts a gateway that is closed when the test ends.
func Start(tb testing.TB) *Gateway {
	tb.Helper()
	g := New()
	tb.Cleanup(g.Close)
	return g
}

// URL returns the send endpoint, for notify.SMSConfig.URL.
func (g *Gateway) URL() string { return g.srv.URL + Path }

// Close releases hanging requests and stops the server.
func (g *Gateway) Close() {
	g.once.Do(func() {
		close(g.closed)
		g.srv.Close()
	})
}

// FailNext makes the next n requests fail with the HTTP status before the
// gateway looks at them, as a proxy or an overloaded gateway does: 503 and
// other 5xx answer a JSON SERVICE_UNAVAILABLE, 429 RATE_LIMITED, and 502 and
// 504 an HTML page without a code.
func (g *Gateway) FailNext(n, status int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for range n {
		g.failNext = append(g.failNext, status)
	}
}

// DropResponses makes the gateway accept the next n valid messages and then
// cut the connection without answering: the sender cannot know the message
// went out, and its retry must be deduplicated.
func (g *Gateway) DropResponses(n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.dropNext += n
}

// Hang makes every request wait d (until the client gives up or the gateway
// closes) before it is handled. Zero turns it off.
func (g *Gateway) Hang(d time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.hang = d
}

// Reject makes the gateway answer code (e.g. "INVALID_NUMBER",
// "BLACKLISTED") with HTTP 200 for every message to phone.
func (g *Gateway) Reject(phone, code string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.rejects[phone] = code
}

// Messages returns the accepted messages in order, each once.
func (g *Gateway) Messages() []Message {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Message(nil), g.accepted...)
}

// Requests returns how many send requests arrived, failed ones included.
func (g *Gateway) Requests() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.requests
}

// Duplicates returns how many valid requests repeated an accepted out_id.
func (g *Gateway) Duplicates() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.duplicates
}

var phonePattern = regexp.MustCompile(`^(\+86|0086)?1[3-9][0-9]{9}$`)

// verify checks the app key, the timestamp (within 5 minutes) and the
// signature: hex HMAC-SHA256 over timestamp, "\n" and the body.
func verify(r *http.Request, body []byte) (code, msg string) {
	if r.Header.Get("X-App-Key") != AppKey {
		return "AUTH_FAILED", "unknown app key"
	}
	ts := r.Header.Get("X-Timestamp")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return "SIGNATURE_INVALID", "missing or malformed timestamp"
	}
	if skew := time.Since(time.Unix(sec, 0)); skew > 5*time.Minute || skew < -5*time.Minute {
		return "SIGNATURE_INVALID", "timestamp outside the 5-minute window"
	}
	mac := hmac.New(sha256.New, []byte(AppSecret))
	fmt.Fprintf(mac, "%s\n%s", ts, body)
	got, err := hex.DecodeString(r.Header.Get("X-Signature"))
	if err != nil || !hmac.Equal(got, mac.Sum(nil)) {
		return "SIGNATURE_INVALID", "signature does not match"
	}
	return "", ""
}

type sendRequest struct {
	Phone          string            `json:"phone"`
	Sign           string            `json:"sign"`
	Content        string            `json:"content"`
	TemplateCode   string            `json:"template_code"`
	TemplateParams map[string]string `json:"template_params"`
	OutID          string            `json:"out_id"`
}

// validate returns the error code for a request the gateway refuses.
func (g *Gateway) validate(req sendRequest) (code, msg string) {
	switch {
	case req.OutID == "":
		return "BAD_REQUEST", "out_id is required"
	case g.rejects[req.Phone] != "":
		return g.rejects[req.Phone], "rejected by test setup"
	case !phonePattern.MatchString(req.Phone):
		return "INVALID_NUMBER", "not a mainland mobile number"
	case req.Sign == "":
		return "SIGN_INVALID", "sign is required"
	case req.Content == "" && req.TemplateCode == "":
		return "CONTENT_REJECTED", "content or template_code is required"
	case utf8.RuneCountInString(req.Content) > MaxContent:
		return "CONTENT_REJECTED", fmt.Sprintf("content longer than %d characters", MaxContent)
	}
	return "", ""
}

func reply(w http.ResponseWriter, status int, code, msg, bizID string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	resp := map[string]string{"code": code, "message": msg}
	if bizID != "" {
		resp["biz_id"] = bizID
	}
	json.NewEncoder(w).Encode(resp)
}

func (g *Gateway) handleSend(w http.ResponseWriter, r *http.Request) {
	fail, hang := g.arrive()
	if fail != 0 {
		failure(w, fail)
		return
	}
	if hang > 0 {
		select {
		case <-time.After(hang):
		case <-r.Context().Done():
			return
		case <-g.closed:
			return
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return
	}
	if code, msg := verify(r, body); code != "" {
		reply(w, http.StatusUnauthorized, code, msg, "")
		return
	}
	var req sendRequest
	if err := json.Unmarshal(body, &req); err != nil {
		reply(w, http.StatusBadRequest, "BAD_REQUEST", "body is not JSON: "+err.Error(), "")
		return
	}
	bizID, drop, code, msg := g.accept(req)
	switch {
	case code != "":
		reply(w, http.StatusOK, code, msg, "")
	case drop:
		dropConnection(w)
	default:
		reply(w, http.StatusOK, "OK", "OK", bizID)
	}
}

// arrive counts a request and returns the failure and delay set up for it.
func (g *Gateway) arrive() (fail int, hang time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.requests++
	if len(g.failNext) > 0 {
		fail, g.failNext = g.failNext[0], g.failNext[1:]
	}
	return fail, g.hang
}

// accept validates req and records it unless its out_id is known. It
// returns the biz_id, or the error code for a refused request.
func (g *Gateway) accept(req sendRequest) (bizID string, drop bool, code, msg string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if code, msg := g.validate(req); code != "" {
		return "", false, code, msg
	}
	if i, ok := g.byOutID[req.OutID]; ok {
		g.duplicates++
		return g.accepted[i].BizID, false, "", ""
	}
	m := Message{
		OutID: req.OutID, Phone: req.Phone, Sign: req.Sign, Content: req.Content,
		TemplateCode: req.TemplateCode, TemplateParams: req.TemplateParams,
		BizID: fmt.Sprintf("gw%08d", len(g.accepted)+1), At: time.Now(),
	}
	g.byOutID[req.OutID] = len(g.accepted)
	g.accepted = append(g.accepted, m)
	if g.dropNext > 0 {
		g.dropNext--
		drop = true
	}
	return m.BizID, drop, "", ""
}

func failure(w http.ResponseWriter, status int) {
	switch {
	case status == http.StatusBadGateway || status == http.StatusGatewayTimeout:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<html><body><h1>%d %s</h1></body></html>\n", status, http.StatusText(status))
	case status == http.StatusTooManyRequests:
		reply(w, status, "RATE_LIMITED", "too many requests", "")
	default:
		reply(w, status, "SERVICE_UNAVAILABLE", http.StatusText(status), "")
	}
}

// dropConnection closes the connection without an answer, as a crash or a
// network cut between the gateway's commit and its reply would.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(fmt.Sprintf("smsgw: hijack: %v", err))
	}
	conn.Close()
}
