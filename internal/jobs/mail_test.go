package jobs

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"accord/internal/notify"
	"accord/internal/outbox"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// mustMailpitSMTP returns an SMTP adapter for the mailpit server named by
// ACCORD_TEST_MAILPIT_SMTP and its API address (scripts/mailpit.sh prints
// both). Without them the test skips, unless CI is set, when it fails. The
// Message-ID domain is unique to the test run, since outbox ids start at 1
// in every test database.
func mustMailpitSMTP(t *testing.T) (*notify.SMTP, string, string) {
	t.Helper()
	addr, api := os.Getenv("ACCORD_TEST_MAILPIT_SMTP"), os.Getenv("ACCORD_TEST_MAILPIT_API")
	if addr == "" || api == "" {
		const msg = "ACCORD_TEST_MAILPIT_SMTP and ACCORD_TEST_MAILPIT_API are not set; start mailpit with scripts/mailpit.sh"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(p)
	domain := fmt.Sprintf("run%d.lender.example.cn", time.Now().UnixNano())
	s, err := notify.NewSMTP(notify.SMTPConfig{Host: host, Port: port, TLS: notify.TLSNone,
		From: "某某消费金融 <notice@lender.example.cn>", MessageIDDomain: domain, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s, strings.TrimRight(api, "/"), domain
}

type mailpitMessage struct {
	ID        string
	MessageID string
	Subject   string
	To        []struct{ Address string }
}

// mailpitFind returns the messages mailpit holds with Message-ID id,
// waiting up to 5 seconds for at least want.
func mailpitFind(t *testing.T, api, id string, want int) []mailpitMessage {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := http.Get(api + "/api/v1/messages?limit=500")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var list struct{ Messages []mailpitMessage }
		if err := json.Unmarshal(body, &list); err != nil {
			t.Fatalf("mailpit: %v in %s", err, body)
		}
		var found []mailpitMessage
		for _, m := range list.Messages {
			if m.MessageID == id {
				found = append(found, m)
			}
		}
		if len(found) >= want || time.Now().After(deadline) {
			return found
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestSender_EmailThroughMailpit delivers an email from the outbox to a
// real SMTP server, and shows that a resend after a crash between sending
// and recording carries the same Message-ID.
func TestSender_EmailThroughMailpit(t *testing.T) {
	smtp, api, _ := mustMailpitSMTP(t)
	e := newEnv(t, storetest.OpenSQLite(t))
	m := outbox.Message{BorrowerID: e.b.ID, Channel: outbox.Email, To: "zhang@example.cn", Subject: "还款提醒",
		Body: "张先生您好：您的借款已逾期，请尽快还款。", DedupKey: "mail-1"}
	if err := e.db.InTx(bg, func(tx *sqlstore.Tx) error { _, err := e.svc.QueueMessage(bg, tx, &m); return err }); err != nil {
		t.Fatal(err)
	}
	router := notify.Router{notify.Email: smtp, notify.SMS: e.sms}
	dying := e.sender(router)
	dying.crash = func(point string) bool { return point == "sent" }
	if _, err := dying.RunOnce(bg); err == nil {
		t.Fatal("no simulated crash")
	}
	e.advance(outbox.Lease + time.Second)
	if st, err := e.sender(router).Drain(bg); err != nil || st.Sent != 1 {
		t.Fatalf("Drain = %v, %v", st, err)
	}
	wantID := smtp.MessageID(m.ID)
	found := mailpitFind(t, api, wantID, 2)
	if len(found) != 2 || found[0].Subject != "还款提醒" || found[0].To[0].Address != "zhang@example.cn" {
		t.Fatalf("mailpit holds %+v with Message-ID %s; want the email and its resend", found, wantID)
	}
	got := e.message(t, m.ID)
	if got.Status != outbox.Sent || got.ProviderID != wantID || e.logged(t, m.ID) != 1 {
		t.Errorf("outbox %+v, %d log entries; want sent under one Message-ID, logged once", got, e.logged(t, m.ID))
	}
}
