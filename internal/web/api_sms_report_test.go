package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/notify/smsgw"
	"accord/internal/outbox"
	"accord/internal/sqlstore"
)

// TestSMSReport_GatewaySignature: the test gateway pushes its signed
// delivery report over real HTTP; the route takes it without any user,
// and refuses replays, stale and unsigned pushes.
func TestSMSReport_GatewaySignature(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, s *ctSite) {
		ctx := context.Background()
		r := s.do(t, auth.Collector, "POST", "/api/v1/messages", map[string]any{"borrower_id": s.b.ID, "channel": "sms",
			"to": "phone:1", "body": "张先生您好，请回电。", "key": "k1"})
		var m outbox.Message
		r.json(t, &m)
		if r.Status != http.StatusAccepted {
			t.Fatalf("send: %d %s", r.Status, r.Body)
		}
		ready, _, err := s.svc.ClaimMessages(ctx, 10, outbox.Lease)
		if err != nil || len(ready) != 1 {
			t.Fatal(ready, err)
		}
		if err := s.svc.MessageSent(ctx, ready[0], "gw1", s.clock()); err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(s.srv)
		defer hs.Close()
		url := hs.URL + "/api/v1/notify/sms-report"
		gw := smsgw.Start(t)
		outID := strconv.FormatInt(m.ID, 10)

		stale, body, err := gw.PushReport(url, "DELIVRD", s.clock(), s.clock().Add(-10*time.Minute), outID)
		if err != nil || stale.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "window") {
			t.Errorf("stale push: %v %s %v", stale.Status, body, err)
		}
		resp, body, err := gw.PushReport(url, "DELIVRD", s.clock(), s.clock(), outID)
		if err != nil || resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"matched":1`) {
			t.Fatalf("signed push: %v %s %v", resp.Status, body, err)
		}
		var got outbox.Message
		_ = s.db.Read(ctx, func(tx *sqlstore.Tx) error { got, err = tx.Message(ctx, m.ID); return err })
		if got.Delivery != outbox.DeliveryDelivered {
			t.Errorf("delivery %s, want delivered", got.Delivery)
		}

		// The same push again, byte for byte: a replay.
		report := gw.Report("DELIVRD", s.clock(), outID)
		h := smsgw.SignReport(report, s.clock().Add(time.Second))
		first := s.do(t, "", "POST", "/api/v1/notify/sms-report", string(report), "X-Timestamp", h.Get("X-Timestamp"), "X-Signature", h.Get("X-Signature"))
		again := s.do(t, "", "POST", "/api/v1/notify/sms-report", string(report), "X-Timestamp", h.Get("X-Timestamp"), "X-Signature", h.Get("X-Signature"))
		if first.Status != 200 || again.Status != http.StatusUnauthorized || !strings.Contains(again.Body, "replay") {
			t.Errorf("push then replay: %d, %d %s", first.Status, again.Status, again.Body)
		}
		// A forged body under a real signature, and an admin's token
		// without a signature, are refused.
		forged := strings.Replace(string(report), "DELIVRD", "UNDELIV", 1)
		h = smsgw.SignReport(report, s.clock().Add(2*time.Second))
		if r := s.do(t, "", "POST", "/api/v1/notify/sms-report", forged, "X-Timestamp", h.Get("X-Timestamp"), "X-Signature", h.Get("X-Signature")); r.Status != http.StatusUnauthorized {
			t.Errorf("forged body: %d %s", r.Status, r.Body)
		}
		if r := s.do(t, auth.Admin, "POST", "/api/v1/notify/sms-report", string(report)); r.Status != http.StatusUnauthorized {
			t.Errorf("admin token without a signature: %d %s", r.Status, r.Body)
		}

		// A batch larger than an anonymous caller's 16 KiB is accepted:
		// the route's caller is the signing gateway.
		ids := make([]string, 300)
		for i := range ids {
			ids[i] = strconv.Itoa(100000 + i)
		}
		resp, body, err = gw.PushReport(url, "UNDELIV", s.clock(), s.clock().Add(3*time.Second), ids...)
		if err != nil || resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"received":300`) {
			t.Errorf("large signed batch: %v %.200s %v", resp.Status, body, err)
		}
	})
}
