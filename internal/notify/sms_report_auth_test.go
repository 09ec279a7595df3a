package notify_test

import (
	"strings"
	"testing"
	"time"

	"accord/internal/errs"
	"accord/internal/notify"
	"accord/internal/notify/smsgw"
)

// TestReportAuth checks pushes signed by the test gateway (an independent
// implementation of the scheme) against the verifier.
func TestReportAuth(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC)
	body := []byte(`[{"out_id":"42","status":"DELIVRD"}]`)
	h := smsgw.SignReport(body, now)
	ts, sig := h.Get("X-Timestamp"), h.Get("X-Signature")

	a := notify.NewReportAuth(smsgw.AppSecret)
	if err := a.Verify(ts, sig, body, now.Add(time.Minute)); err != nil {
		t.Fatalf("signed push refused: %v", err)
	}
	tests := []struct {
		name     string
		auth     *notify.ReportAuth
		ts, sig  string
		body     []byte
		now      time.Time
		wantText string
	}{
		{"replayed", a, ts, sig, body, now.Add(2 * time.Minute), "replay"},
		{"body changed", notify.NewReportAuth(smsgw.AppSecret), ts, sig, []byte(`[{"out_id":"43","status":"DELIVRD"}]`), now, "does not match"},
		{"timestamp changed", notify.NewReportAuth(smsgw.AppSecret), smsgw.SignReport(body, now.Add(time.Second)).Get("X-Timestamp"), sig, body, now, "does not match"},
		{"too old", notify.NewReportAuth(smsgw.AppSecret), ts, sig, body, now.Add(6 * time.Minute), "window"},
		{"from the future", notify.NewReportAuth(smsgw.AppSecret), ts, sig, body, now.Add(-6 * time.Minute), "window"},
		{"no signature", notify.NewReportAuth(smsgw.AppSecret), ts, "", body, now, "does not match"},
		{"no timestamp", notify.NewReportAuth(smsgw.AppSecret), "", sig, body, now, "X-Timestamp"},
		{"other secret", notify.NewReportAuth("not the gateway's"), ts, sig, body, now, "does not match"},
		{"no secret configured", notify.NewReportAuth(""), ts, sig, body, now, "no gateway secret"},
		{"nil verifier", nil, ts, sig, body, now, "no gateway secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.auth.Verify(tt.ts, tt.sig, tt.body, tt.now)
			if errs.CodeOf(err) != errs.Unauthorized || !strings.Contains(errs.MessageOf(err), tt.wantText) {
				t.Errorf("Verify = %v, want Unauthorized mentioning %q", err, tt.wantText)
			}
		})
	}
	// A replay is remembered only while it could pass the window: a
	// fresh push with the same body and another timestamp is accepted.
	later := smsgw.SignReport(body, now.Add(3*time.Minute))
	if err := a.Verify(later.Get("X-Timestamp"), later.Get("X-Signature"), body, now.Add(3*time.Minute)); err != nil {
		t.Errorf("a new push with the same body: %v", err)
	}
}
