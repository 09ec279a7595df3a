package notify_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"accord/internal/notify"
	"accord/internal/notify/smsgw"
)

const sign = "【某某消费金融】"

func newSMS(t *testing.T, url string, opts ...func(*notify.SMSConfig)) *notify.SMSGateway {
	t.Helper()
	cfg := notify.SMSConfig{URL: url, AppKey: smsgw.AppKey, AppSecret: smsgw.AppSecret, Sign: sign, Timeout: 5 * time.Second}
	for _, o := range opts {
		o(&cfg)
	}
	g, err := notify.NewSMSGateway(cfg)
	if err != nil {
		t.Fatalf("NewSMSGateway: %v", err)
	}
	return g
}

func sms(id int64, to, body string) notify.Message {
	return notify.Message{ID: id, Channel: notify.SMS, To: to, Body: body, Lang: "zh-CN"}
}

func TestSMSGateway_Send(t *testing.T) {
	t.Parallel()
	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		gw := smsgw.Start(t)
		s := newSMS(t, gw.URL())
		body := "张先生，您尾号8000的借款已逾期3天，请及时还款。退订回T"
		before := time.Now()
		r, err := s.Send(context.Background(), sms(42, "+8613800138000", body))
		if err != nil {
			t.Fatalf("Send: %v", err)
		}
		got := gw.Messages()
		if len(got) != 1 {
			t.Fatalf("gateway accepted %d messages, want 1", len(got))
		}
		m := got[0]
		if m.OutID != "42" || m.Phone != "+8613800138000" || m.Sign != sign || m.Content != body {
			t.Errorf("gateway got %+v", m)
		}
		if r.ProviderID != m.BizID || r.Status != notify.StatusAccepted || r.At.Before(before) {
			t.Errorf("receipt = %+v, want biz_id %s, accepted, at or after %v", r, m.BizID, before)
		}
	})
	t.Run("Template", func(t *testing.T) {
		t.Parallel()
		gw := smsgw.Start(t)
		s := newSMS(t, gw.URL())
		m := sms(7, "+8613900139000", "张先生，您本期应还1,234.56元。")
		m.Template, m.Params = "SMS_1001", map[string]string{"name": "张先生", "amount": "1,234.56"}
		if _, err := s.Send(context.Background(), m); err != nil {
			t.Fatalf("Send: %v", err)
		}
		got := gw.Messages()[0]
		if got.TemplateCode != "SMS_1001" || got.TemplateParams["amount"] != "1,234.56" || got.Content != "" {
			t.Errorf("gateway got %+v, want template SMS_1001 with params and no content", got)
		}
	})
	t.Run("OutIDPrefix", func(t *testing.T) {
		t.Parallel()
		gw := smsgw.Start(t)
		s := newSMS(t, gw.URL(), func(c *notify.SMSConfig) { c.OutIDPrefix = "acc-" })
		if _, err := s.Send(context.Background(), sms(9, "13800138000", "您好")); err != nil {
			t.Fatalf("Send: %v", err)
		}
		if got := gw.Messages()[0].OutID; got != "acc-9" {
			t.Errorf("out_id = %q, want acc-9", got)
		}
	})
}

func TestSMSGateway_Signature(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  func(*notify.SMSConfig)
		code string
	}{
		{"wrong secret", func(c *notify.SMSConfig) { c.AppSecret = "not-the-secret" }, "SIGNATURE_INVALID"},
		{"wrong key", func(c *notify.SMSConfig) { c.AppKey = "someone-else" }, "AUTH_FAILED"},
		{"stale timestamp", func(c *notify.SMSConfig) {
			c.Now = func() time.Time { return time.Now().Add(-10 * time.Minute) }
		}, "SIGNATURE_INVALID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			gw := smsgw.Start(t)
			_, err := newSMS(t, gw.URL(), tt.cfg).Send(context.Background(), sms(1, "+8613800138000", "您好"))
			var e *notify.Error
			if !errors.As(err, &e) || e.Kind != notify.KindAccount || e.Code != tt.code {
				t.Fatalf("Send error = %v, want account error %s", err, tt.code)
			}
			if notify.Permanent(err) {
				t.Error("Permanent = true, want false: a bad credential is ours to fix, not the message's")
			}
			if n := len(gw.Messages()); n != 0 {
				t.Errorf("gateway accepted %d messages with a bad signature", n)
			}
		})
	}
}

func TestSMSGateway_Classify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		setup     func(*smsgw.Gateway)
		to, body  string
		wantKind  notify.Kind
		permanent bool
	}{
		{"503", func(g *smsgw.Gateway) { g.FailNext(1, 503) }, "", "", notify.KindUnavailable, false},
		{"500", func(g *smsgw.Gateway) { g.FailNext(1, 500) }, "", "", notify.KindUnavailable, false},
		{"502 HTML", func(g *smsgw.Gateway) { g.FailNext(1, 502) }, "", "", notify.KindUnavailable, false},
		{"504 HTML", func(g *smsgw.Gateway) { g.FailNext(1, 504) }, "", "", notify.KindTimeout, false},
		{"429", func(g *smsgw.Gateway) { g.FailNext(1, 429) }, "", "", notify.KindRateLimited, false},
		{"invalid number (injected)", func(g *smsgw.Gateway) { g.Reject("+8613800000000", "INVALID_NUMBER") },
			"+8613800000000", "", notify.KindInvalidRecipient, true},
		{"invalid number (format)", nil, "+86123", "", notify.KindInvalidRecipient, true},
		{"blacklisted", func(g *smsgw.Gateway) { g.Reject("+8613800138000", "BLACKLISTED") },
			"", "", notify.KindBlocked, true},
		{"aliyun flow control", func(g *smsgw.Gateway) { g.Reject("+8613800138000", "isv.BUSINESS_LIMIT_CONTROL") },
			"", "", notify.KindRateLimited, false},
		{"unlisted code", func(g *smsgw.Gateway) { g.Reject("+8613800138000", "SOMETHING_NEW") },
			"", "", notify.KindUnknown, false},
		{"content too long", nil, "", strings.Repeat("还", smsgw.MaxContent+1), notify.KindRejected, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			gw := smsgw.Start(t)
			if tt.setup != nil {
				tt.setup(gw)
			}
			to, body := tt.to, tt.body
			if to == "" {
				to = "+8613800138000"
			}
			if body == "" {
				body = "您好，请按时还款。"
			}
			_, err := newSMS(t, gw.URL()).Send(context.Background(), sms(1, to, body))
			if err == nil {
				t.Fatal("Send succeeded, want an error")
			}
			if got := notify.KindOf(err); got != tt.wantKind {
				t.Errorf("KindOf(%v) = %s, want %s", err, got, tt.wantKind)
			}
			if got := notify.Permanent(err); got != tt.permanent {
				t.Errorf("Permanent(%v) = %v, want %v", err, got, tt.permanent)
			}
		})
	}
}

func TestSMSGateway_ConnectionRefused(t *testing.T) {
	t.Parallel()
	gw := smsgw.New()
	url := gw.URL()
	gw.Close()
	_, err := newSMS(t, url).Send(context.Background(), sms(1, "+8613800138000", "您好"))
	if notify.KindOf(err) != notify.KindUnavailable || notify.Permanent(err) {
		t.Fatalf("Send to a closed port: %v (kind %s), want retryable unavailable", err, notify.KindOf(err))
	}
}

// TestSMSGateway_Retry sends the way the sender loop will: again after each
// retryable failure. The message arrives once.
func TestSMSGateway_Retry(t *testing.T) {
	t.Parallel()
	gw := smsgw.Start(t)
	gw.FailNext(2, http.StatusServiceUnavailable)
	s := newSMS(t, gw.URL())
	var attempts int
	for {
		attempts++
		_, err := s.Send(context.Background(), sms(5, "+8613800138000", "您好"))
		if err == nil {
			break
		}
		if notify.Permanent(err) || attempts > 5 {
			t.Fatalf("attempt %d: %v", attempts, err)
		}
	}
	if attempts != 3 || gw.Requests() != 3 || len(gw.Messages()) != 1 {
		t.Errorf("attempts %d, requests %d, accepted %d; want 3, 3, 1", attempts, gw.Requests(), len(gw.Messages()))
	}
}

func TestSMSGateway_Dedup(t *testing.T) {
	t.Parallel()
	t.Run("Resend", func(t *testing.T) {
		t.Parallel()
		gw := smsgw.Start(t)
		s := newSMS(t, gw.URL())
		m := sms(11, "+8613800138000", "您好")
		r1, err := s.Send(context.Background(), m)
		if err != nil {
			t.Fatal(err)
		}
		r2, err := s.Send(context.Background(), m)
		if err != nil {
			t.Fatal(err)
		}
		if r1.ProviderID != r2.ProviderID || len(gw.Messages()) != 1 || gw.Duplicates() != 1 {
			t.Errorf("biz_ids %s, %s; accepted %d; duplicates %d; want one message, same biz_id",
				r1.ProviderID, r2.ProviderID, len(gw.Messages()), gw.Duplicates())
		}
	})
	t.Run("LostResponse", func(t *testing.T) {
		t.Parallel()
		gw := smsgw.Start(t)
		gw.DropResponses(1)
		s := newSMS(t, gw.URL())
		m := sms(12, "+8613800138000", "您好")
		_, err := s.Send(context.Background(), m)
		if err == nil || notify.Permanent(err) {
			t.Fatalf("Send with the answer lost: %v, want a retryable error", err)
		}
		r, err := s.Send(context.Background(), m)
		if err != nil {
			t.Fatalf("retry: %v", err)
		}
		got := gw.Messages()
		if len(got) != 1 || r.ProviderID != got[0].BizID {
			t.Errorf("accepted %d messages, receipt %+v; want 1 with biz_id of the first", len(got), r)
		}
	})
}

func TestSMSGateway_Timeout(t *testing.T) {
	t.Parallel()
	check := func(t *testing.T, err error, start time.Time) {
		t.Helper()
		if notify.KindOf(err) != notify.KindTimeout || notify.Permanent(err) {
			t.Errorf("Send to a hanging gateway: %v (kind %s), want retryable timeout", err, notify.KindOf(err))
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error %v does not wrap context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("Send took %v, want it cut at the deadline", d)
		}
	}
	t.Run("ContextDeadline", func(t *testing.T) {
		t.Parallel()
		gw := smsgw.Start(t)
		gw.Hang(time.Minute)
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := newSMS(t, gw.URL()).Send(ctx, sms(1, "+8613800138000", "您好"))
		check(t, err, start)
	})
	t.Run("ConfigTimeout", func(t *testing.T) {
		t.Parallel()
		gw := smsgw.Start(t)
		gw.Hang(time.Minute)
		s := newSMS(t, gw.URL(), func(c *notify.SMSConfig) { c.Timeout = 200 * time.Millisecond })
		start := time.Now()
		_, err := s.Send(context.Background(), sms(1, "+8613800138000", "您好"))
		check(t, err, start)
	})
}

func TestSMSGateway_Invalid(t *testing.T) {
	t.Parallel()
	gw := smsgw.Start(t)
	s := newSMS(t, gw.URL())
	tests := []struct {
		name string
		m    notify.Message
		want notify.Kind
	}{
		{"email channel", notify.Message{ID: 1, Channel: notify.Email, To: "+8613800138000", Body: "x"}, notify.KindRejected},
		{"no id", sms(0, "+8613800138000", "x"), notify.KindRejected},
		{"no body", sms(1, "+8613800138000", "  "), notify.KindRejected},
		{"no number", sms(1, "", "x"), notify.KindInvalidRecipient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Send(context.Background(), tt.m)
			if got := notify.KindOf(err); got != tt.want || !notify.Permanent(err) {
				t.Errorf("Send: %v (kind %s), want permanent %s", err, got, tt.want)
			}
		})
	}
	if gw.Requests() != 0 {
		t.Errorf("%d requests reached the gateway, want none", gw.Requests())
	}
}

func TestNewSMSGateway(t *testing.T) {
	t.Parallel()
	ok := notify.SMSConfig{URL: "https://sms.example.cn/send", AppKey: "k", AppSecret: "s", Sign: sign}
	tests := []struct {
		name string
		edit func(*notify.SMSConfig)
	}{
		{"no URL", func(c *notify.SMSConfig) { c.URL = "" }},
		{"not http", func(c *notify.SMSConfig) { c.URL = "ftp://sms.example.cn" }},
		{"no sign", func(c *notify.SMSConfig) { c.Sign = "" }},
		{"no secret", func(c *notify.SMSConfig) { c.AppSecret = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok
			tt.edit(&cfg)
			if _, err := notify.NewSMSGateway(cfg); err == nil {
				t.Error("NewSMSGateway succeeded, want an error")
			}
		})
	}
	t.Run("token only", func(t *testing.T) {
		cfg := ok
		cfg.AppKey, cfg.AppSecret, cfg.Token = "", "", "tok"
		if _, err := notify.NewSMSGateway(cfg); err != nil {
			t.Errorf("NewSMSGateway with a token: %v", err)
		}
	})
}
