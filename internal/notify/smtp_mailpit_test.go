package notify_test

import (
	"context"
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
)

// mailpit is a running mailpit server: scripts/mailpit.sh start prints the
// two variables it is read from.
type mailpit struct {
	host string
	port int
	api  string
}

// mustMailpit returns the mailpit server named by ACCORD_TEST_MAILPIT_SMTP
// and ACCORD_TEST_MAILPIT_API. Without them the test skips, or fails when
// CI is set: a silent skip in CI would hide a broken email path.
func mustMailpit(t *testing.T) mailpit {
	t.Helper()
	smtpAddr, api := os.Getenv("ACCORD_TEST_MAILPIT_SMTP"), os.Getenv("ACCORD_TEST_MAILPIT_API")
	if smtpAddr == "" || api == "" {
		const msg = "ACCORD_TEST_MAILPIT_SMTP and ACCORD_TEST_MAILPIT_API are not set; start mailpit with scripts/mailpit.sh"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	host, p, err := net.SplitHostPort(smtpAddr)
	if err != nil {
		t.Fatalf("ACCORD_TEST_MAILPIT_SMTP=%q: %v", smtpAddr, err)
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		t.Fatalf("ACCORD_TEST_MAILPIT_SMTP=%q: %v", smtpAddr, err)
	}
	return mailpit{host: host, port: port, api: strings.TrimRight(api, "/")}
}

type mailpitAddress struct{ Name, Address string }

type mailpitMessage struct {
	ID        string
	MessageID string
	From      mailpitAddress
	To        []mailpitAddress
	Subject   string
	Date      time.Time
	Text      string
}

func (mp mailpit) get(t *testing.T, path string, v any) []byte {
	t.Helper()
	resp, err := http.Get(mp.api + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %s %v", path, resp.Status, body, err)
	}
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("GET %s: %v in %s", path, err, body)
		}
	}
	return body
}

// find returns the stored messages with the given Message-ID, waiting up to
// 5 seconds for at least want of them.
func (mp mailpit) find(t *testing.T, messageID string, want int) []mailpitMessage {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var list struct{ Messages []mailpitMessage }
		mp.get(t, "/api/v1/messages?limit=500", &list)
		var found []mailpitMessage
		for _, m := range list.Messages {
			if m.MessageID == messageID {
				found = append(found, m)
			}
		}
		if len(found) >= want || time.Now().After(deadline) {
			return found
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestSMTP_Mailpit(t *testing.T) {
	mp := mustMailpit(t)
	s := newSMTP(t, mp.host, mp.port)
	id := time.Now().UnixNano() // unique across runs against one mailpit
	m := email(id, "张三 <borrower@example.cn>")
	before := time.Now().Truncate(time.Second)
	r, err := s.Send(context.Background(), m)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	wantID := fmt.Sprintf("accord.outbox.%d@lender.example.cn", id)
	if r.ProviderID != wantID || r.Status != notify.StatusAccepted {
		t.Errorf("receipt = %+v, want accepted %s", r, wantID)
	}

	found := mp.find(t, wantID, 1)
	if len(found) != 1 {
		t.Fatalf("mailpit holds %d messages with Message-ID %s, want 1", len(found), wantID)
	}
	var got mailpitMessage
	mp.get(t, "/api/v1/message/"+found[0].ID, &got)
	if len(got.To) != 1 || got.To[0].Address != "borrower@example.cn" || got.To[0].Name != "张三" {
		t.Errorf("To = %+v, want 张三 <borrower@example.cn>", got.To)
	}
	if got.From.Address != "notice@lender.example.cn" || got.From.Name != "某某消费金融" {
		t.Errorf("From = %+v, want 某某消费金融 <notice@lender.example.cn>", got.From)
	}
	if got.Subject != m.Subject {
		t.Errorf("Subject = %q, want %q", got.Subject, m.Subject)
	}
	// The body travels with CRLF line ends, as MIME text must.
	if text := strings.ReplaceAll(got.Text, "\r\n", "\n"); text != m.Body {
		t.Errorf("Text = %q, want %q", got.Text, m.Body)
	}
	if got.MessageID != wantID {
		t.Errorf("MessageID = %q, want %q", got.MessageID, wantID)
	}
	if got.Date.Before(before) || got.Date.After(time.Now().Add(time.Second)) {
		t.Errorf("Date = %v, want the send time", got.Date)
	}

	raw := string(mp.get(t, "/api/v1/message/"+found[0].ID+"/raw", nil))
	for _, want := range []string{
		"Content-Transfer-Encoding: base64",
		"Content-Language: zh-CN",
		"X-Accord-Outbox-Id: " + strconv.FormatInt(id, 10),
		"Message-ID: <" + wantID + ">",
		"Subject: =?UTF-8?",
	} {
		if !strings.Contains(raw, want) {
			t.Errorf("raw message lacks %q:\n%s", want, raw)
		}
	}
	for i := range len(raw) {
		if raw[i] >= 0x80 {
			t.Errorf("raw message has a non-ASCII byte at %d: headers and body must be encoded", i)
			break
		}
	}

	t.Run("ResendKeepsMessageID", func(t *testing.T) {
		if _, err := s.Send(context.Background(), m); err != nil {
			t.Fatalf("Send again: %v", err)
		}
		if n := len(mp.find(t, wantID, 2)); n != 2 {
			t.Errorf("mailpit holds %d messages with Message-ID %s, want 2 (the resend is recognisable)", n, wantID)
		}
	})
}

func TestSMTP_MailpitLogin(t *testing.T) {
	mp := mustMailpit(t)
	s := newSMTP(t, mp.host, mp.port, func(c *notify.SMTPConfig) {
		c.Username, c.Password = "accord", "secret"
	})
	id := time.Now().UnixNano()
	if _, err := s.Send(context.Background(), email(id, "borrower@example.cn")); err != nil {
		t.Fatalf("Send with login: %v", err)
	}
	if n := len(mp.find(t, s.MessageID(id), 1)); n != 1 {
		t.Errorf("mailpit holds %d messages, want 1", n)
	}
}

// TestSMTP_MailpitStartTLSRequired: the default TLS mode refuses a server
// that does not offer STARTTLS, and that is the operator's to fix, not the
// message's.
func TestSMTP_MailpitStartTLSRequired(t *testing.T) {
	mp := mustMailpit(t)
	s := newSMTP(t, mp.host, mp.port, func(c *notify.SMTPConfig) { c.TLS = notify.TLSStartTLS })
	_, err := s.Send(context.Background(), email(1, "borrower@example.cn"))
	if notify.KindOf(err) != notify.KindAccount || notify.Permanent(err) {
		t.Errorf("Send with STARTTLS to a plain server: %v (kind %s), want retryable account", err, notify.KindOf(err))
	}
}
