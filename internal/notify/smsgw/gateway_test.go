package smsgw_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"accord/internal/notify/smsgw"
)

// post sends body signed with secret at ts and returns the status and code.
func post(t *testing.T, gw *smsgw.Gateway, secret string, ts time.Time, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, gw.URL(), strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	stamp := strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(stamp + "\n" + body))
	req.Header.Set("X-App-Key", smsgw.AppKey)
	req.Header.Set("X-Timestamp", stamp)
	req.Header.Set("X-Signature", hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var answer struct{ Code string }
	json.NewDecoder(resp.Body).Decode(&answer)
	return resp.StatusCode, answer.Code
}

func TestGateway(t *testing.T) {
	t.Parallel()
	const ok = `{"phone":"+8613800138000","sign":"【某某消费金融】","content":"您好","out_id":"1"}`
	tests := []struct {
		name       string
		secret     string
		ts         time.Time
		body       string
		wantStatus int
		wantCode   string
	}{
		{"OK", smsgw.AppSecret, time.Now(), ok, 200, "OK"},
		{"bad signature", "guess", time.Now(), ok, 401, "SIGNATURE_INVALID"},
		{"replayed", smsgw.AppSecret, time.Now().Add(-6 * time.Minute), ok, 401, "SIGNATURE_INVALID"},
		{"not JSON", smsgw.AppSecret, time.Now(), `phone=1`, 400, "BAD_REQUEST"},
		{"no out_id", smsgw.AppSecret, time.Now(), `{"phone":"+8613800138000","sign":"s","content":"c"}`, 200, "BAD_REQUEST"},
		{"landline", smsgw.AppSecret, time.Now(), `{"phone":"+861088888888","sign":"s","content":"c","out_id":"1"}`, 200, "INVALID_NUMBER"},
		{"no sign", smsgw.AppSecret, time.Now(), `{"phone":"13800138000","content":"c","out_id":"1"}`, 200, "SIGN_INVALID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			gw := smsgw.Start(t)
			status, code := post(t, gw, tt.secret, tt.ts, tt.body)
			if status != tt.wantStatus || code != tt.wantCode {
				t.Errorf("answer %d %s, want %d %s", status, code, tt.wantStatus, tt.wantCode)
			}
			if wantAccepted := tt.wantCode == "OK"; (len(gw.Messages()) == 1) != wantAccepted {
				t.Errorf("accepted %d messages", len(gw.Messages()))
			}
		})
	}
}

func TestGateway_GetNotAllowed(t *testing.T) {
	t.Parallel()
	gw := smsgw.Start(t)
	resp, err := http.Get(gw.URL())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %s, want 405", resp.Status)
	}
}

// TestGateway_CloseReleasesHang: Close must not wait out a hanging request.
func TestGateway_CloseReleasesHang(t *testing.T) {
	t.Parallel()
	gw := smsgw.New()
	gw.Hang(time.Hour)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if resp, err := http.Post(gw.URL(), "application/json", strings.NewReader("{}")); err == nil {
			resp.Body.Close()
		}
	}()
	for gw.Requests() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	start := time.Now()
	gw.Close()
	<-done
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Close took %v with a request hanging", d)
	}
}
