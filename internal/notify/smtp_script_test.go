package notify_test

import (
	"bufio"
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"accord/internal/notify"
)

// scriptSMTP starts an SMTP server on 127.0.0.1 that answers each command
// verb (MAIL, RCPT, DATA for the end of the data, AUTH) with the reply in
// script, and "250 OK" otherwise. With hang set it accepts connections and
// never greets. It returns the port.
func scriptSMTP(t *testing.T, script map[string]string, hang bool) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
			if !hang {
				go converse(conn, script)
			}
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

func converse(conn net.Conn, script map[string]string) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	say := func(s string) { conn.Write([]byte(s + "\r\n")) }
	reply := func(verb, def string) {
		if s, ok := script[verb]; ok {
			say(s)
		} else {
			say(def)
		}
	}
	say("220 script.test ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		verb, _, _ := strings.Cut(strings.ToUpper(strings.TrimSpace(line)), " ")
		switch verb {
		case "EHLO":
			say("250-script.test")
			say("250-AUTH PLAIN LOGIN")
			say("250 ENHANCEDSTATUSCODES")
		case "MAIL":
			reply("MAIL", "250 2.1.0 OK")
		case "RCPT":
			reply("RCPT", "250 2.1.5 OK")
		case "AUTH":
			reply("AUTH", "235 2.7.0 Authentication successful")
		case "DATA":
			say("354 End data with <CR><LF>.<CR><LF>")
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
			}
			reply("DATA", "250 2.0.0 queued")
		case "QUIT":
			say("221 2.0.0 Bye")
			return
		default:
			say("250 2.0.0 OK")
		}
	}
}

func newSMTP(t *testing.T, host string, port int, opts ...func(*notify.SMTPConfig)) *notify.SMTP {
	t.Helper()
	cfg := notify.SMTPConfig{
		Host: host, Port: port, TLS: notify.TLSNone, Timeout: 5 * time.Second,
		From: "某某消费金融 <notice@lender.example.cn>",
	}
	for _, o := range opts {
		o(&cfg)
	}
	s, err := notify.NewSMTP(cfg)
	if err != nil {
		t.Fatalf("NewSMTP: %v", err)
	}
	return s
}

func email(id int64, to string) notify.Message {
	return notify.Message{ID: id, Channel: notify.Email, To: to, Lang: "zh-CN",
		Subject: "还款提醒：您的借款已逾期", Body: "张先生您好：\n\n您的借款已逾期3天，请及时还款。\n"}
}

func TestSMTP_Classify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		script    map[string]string
		user      string
		want      notify.Kind
		permanent bool
	}{
		{"OK", nil, "", "", false},
		{"user unknown", map[string]string{"RCPT": "550 5.1.1 User unknown"}, "", notify.KindInvalidRecipient, true},
		{"no such mailbox, no enhanced code", map[string]string{"RCPT": "550 No such user"}, "", notify.KindInvalidRecipient, true},
		{"greylisted", map[string]string{"RCPT": "451 4.7.1 Greylisted, try again later"}, "", notify.KindUnavailable, false},
		{"service not available", map[string]string{"MAIL": "421 4.3.2 Shutting down"}, "", notify.KindUnavailable, false},
		{"sender refused", map[string]string{"MAIL": "550 5.7.1 Sender address rejected"}, "", notify.KindAccount, false},
		{"spam refused", map[string]string{"DATA": "554 5.7.1 Message rejected as spam"}, "", notify.KindBlocked, true},
		{"message too big", map[string]string{"DATA": "552 5.3.4 Message too big"}, "", notify.KindRejected, true},
		{"login refused", map[string]string{"AUTH": "535 5.7.8 Authentication credentials invalid"}, "u", notify.KindAccount, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			port := scriptSMTP(t, tt.script, false)
			s := newSMTP(t, "127.0.0.1", port, func(c *notify.SMTPConfig) {
				c.Username, c.Password = tt.user, "p"
			})
			_, err := s.Send(context.Background(), email(1, "borrower@example.cn"))
			if got := notify.KindOf(err); got != tt.want {
				t.Errorf("KindOf(%v) = %q, want %q", err, got, tt.want)
			}
			if got := notify.Permanent(err); got != tt.permanent {
				t.Errorf("Permanent(%v) = %v, want %v", err, got, tt.permanent)
			}
		})
	}
}

func TestSMTP_Timeout(t *testing.T) {
	t.Parallel()
	port := scriptSMTP(t, nil, true)
	s := newSMTP(t, "127.0.0.1", port)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := s.Send(ctx, email(1, "borrower@example.cn"))
	if notify.KindOf(err) != notify.KindTimeout || notify.Permanent(err) {
		t.Errorf("Send to a silent server: %v (kind %s), want retryable timeout", err, notify.KindOf(err))
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Send took %v, want it cut at the 300ms deadline", d)
	}
}

func TestSMTP_ConnectionRefused(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	_, err = newSMTP(t, "127.0.0.1", port).Send(context.Background(), email(1, "borrower@example.cn"))
	if notify.KindOf(err) != notify.KindUnavailable || notify.Permanent(err) {
		t.Errorf("Send to a closed port: %v (kind %s), want retryable unavailable", err, notify.KindOf(err))
	}
}

func TestSMTP_Invalid(t *testing.T) {
	t.Parallel()
	s := newSMTP(t, "127.0.0.1", 1) // never dialled
	tests := []struct {
		name string
		m    notify.Message
		want notify.Kind
	}{
		{"bad address", email(1, "not an address"), notify.KindInvalidRecipient},
		{"sms channel", notify.Message{ID: 1, Channel: notify.SMS, To: "a@example.cn", Body: "x"}, notify.KindRejected},
		{"no id", email(0, "a@example.cn"), notify.KindRejected},
		{"empty", notify.Message{ID: 1, Channel: notify.Email, To: "a@example.cn"}, notify.KindRejected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Send(context.Background(), tt.m)
			if got := notify.KindOf(err); got != tt.want || !notify.Permanent(err) {
				t.Errorf("Send: %v (kind %s), want permanent %s", err, got, tt.want)
			}
		})
	}
}

func TestNewSMTP(t *testing.T) {
	t.Parallel()
	for _, cfg := range []notify.SMTPConfig{
		{From: "a@example.cn"},
		{Host: "smtp.example.cn", From: "not an address"},
		{Host: "smtp.example.cn", From: "a@example.cn", TLS: "ssl"},
	} {
		if _, err := notify.NewSMTP(cfg); err == nil {
			t.Errorf("NewSMTP(%+v) succeeded, want an error", cfg)
		}
	}
	s, err := notify.NewSMTP(notify.SMTPConfig{Host: "smtp.example.cn", From: "某某消费金融 <notice@lender.example.cn>"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.MessageID(42), "accord.outbox.42@lender.example.cn"; got != want {
		t.Errorf("MessageID(42) = %q, want %q", got, want)
	}
}
