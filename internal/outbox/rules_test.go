package outbox

import (
	"testing"
	"time"

	"accord/internal/compliance"
	"accord/internal/errs"
)

var now = time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC)

func TestBackoff(t *testing.T) {
	t.Parallel()
	want := []time.Duration{time.Minute, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute,
		16 * time.Minute, 32 * time.Minute, time.Hour, time.Hour, time.Hour}
	for attempts, w := range want {
		if got := Backoff(attempts); got != w {
			t.Errorf("Backoff(%d) = %v, want %v", attempts, got, w)
		}
	}
	if got := NextAttempt(3, now); !got.Equal(now.Add(4 * time.Minute)) {
		t.Errorf("NextAttempt(3) = %v", got)
	}
}

func TestRetry(t *testing.T) {
	t.Parallel()
	m := Message{Status: Sending, Attempts: 2, LeaseUntil: now}
	Retry(&m, "timeout", now)
	if m.Status != Queued || !m.NotBefore.Equal(now.Add(2*time.Minute)) || m.LastError != "timeout" || !m.LeaseUntil.IsZero() {
		t.Errorf("after a second failure: %+v", m)
	}
	m = Message{Status: Sending, Attempts: MaxAttempts}
	Retry(&m, "timeout", now)
	if m.Status != Failed {
		t.Errorf("after the last attempt: %s, want failed", m.Status)
	}
}

func TestGovern(t *testing.T) {
	t.Parallel()
	allow := compliance.Decision{Action: compliance.Allow}
	quiet := compliance.Decision{Action: compliance.Block, Rules: []string{compliance.RuleCNTimeQuiet}}
	tests := []struct {
		name       string
		d          compliance.Decision
		next       time.Time
		wantSend   bool
		wantStatus Status
	}{
		{"allowed", allow, time.Time{}, true, Sending},
		{"warned still goes", compliance.Decision{Action: compliance.Warn}, time.Time{}, true, Sending},
		{"quiet hours: held until 08:00", quiet, now.Add(7 * time.Hour), false, Held},
		{"never allowed: blocked", compliance.Decision{Action: compliance.Block, Rules: []string{"VULNERABLE-AUTOMATION"}}, time.Time{}, false, Blocked},
		{"approval needed: blocked", compliance.Decision{Action: compliance.Approval}, time.Time{}, false, Blocked},
		{"window too far away: blocked", quiet, now.Add(MaxHold + time.Hour), false, Blocked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := Message{Status: Sending, CreatedAt: now, LeaseUntil: now}
			if got := Govern(&m, tt.d, tt.next, now); got != tt.wantSend || m.Status != tt.wantStatus {
				t.Errorf("Govern = %v, status %s; want %v, %s", got, m.Status, tt.wantSend, tt.wantStatus)
			}
			if m.Decision.Action != tt.d.Action {
				t.Errorf("decision not recorded")
			}
			if tt.wantStatus == Held && !m.NotBefore.Equal(tt.next) {
				t.Errorf("NotBefore = %v, want %v", m.NotBefore, tt.next)
			}
		})
	}
}

func TestMessage_Validate(t *testing.T) {
	t.Parallel()
	ok := Message{BorrowerID: 1, Channel: SMS, To: "+8613800138000", Body: "hi", DedupKey: "k"}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid SMS: %v", err)
	}
	mail := Message{BorrowerID: 1, Channel: Email, To: "zhang@example.cn", Subject: "还款提醒", Body: "hi", DedupKey: "k"}
	if err := mail.Validate(); err != nil {
		t.Errorf("valid email: %v", err)
	}
	for name, m := range map[string]Message{
		"no borrower":      {Channel: SMS, To: "+8613800138000", Body: "hi", DedupKey: "k"},
		"bad number":       {BorrowerID: 1, Channel: SMS, To: "13800138000", Body: "hi", DedupKey: "k"},
		"email no subject": {BorrowerID: 1, Channel: Email, To: "a@b.cn", Body: "hi", DedupKey: "k"},
		"bad email":        {BorrowerID: 1, Channel: Email, To: "Zhang <a@b.cn>", Subject: "s", Body: "hi", DedupKey: "k"},
		"no key":           {BorrowerID: 1, Channel: SMS, To: "+8613800138000", Body: "hi"},
		"sent already":     {BorrowerID: 1, Channel: SMS, To: "+8613800138000", Body: "hi", DedupKey: "k", Status: Sent},
	} {
		if err := m.Validate(); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("%s: Validate = %v, want Invalid", name, err)
		}
	}
}

func TestProposal(t *testing.T) {
	t.Parallel()
	m := Message{Channel: Email, To: "a@b.cn", Subject: "提醒", Body: "正文", LoanID: 9}
	p := Proposal(&m, now)
	if p.Channel != compliance.Email || !p.Automated || p.By != "system" || p.Party != compliance.ToBorrower ||
		p.Purpose != compliance.PurposeReminder || p.Text != "提醒\n正文" || len(p.Debts) != 1 || p.Debts[0] != "9" {
		t.Errorf("Proposal = %+v", p)
	}
}
