package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// TestBotSay talks to the stored chatbot on a demo book: the answer comes
// from the database (the balance), the message and the reply land in the
// contact log, a retried message id does nothing twice, and bad input
// exits 2 naming the flag or field.
func TestBotSay(t *testing.T) {
	for _, engine := range e2eEngines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			d := newE2EDB(t, engine)
			d.mustRun(t, "demo", "--borrowers", "30", "--history-days", "0")
			id := strconv.Itoa(d.scalar(t, "SELECT MIN(borrower_id) FROM loans"))
			out := d.mustRun(t, "bot", "say", "--borrower", id, "--text", "我还欠多少钱", "--message-id", "m1", "--json")
			var a map[string]any
			if err := json.Unmarshal([]byte(out), &a); err != nil || a["intent"] != "ask_balance" || a["action"] != "answer_balance" {
				t.Fatalf("answer %s (%v); want the balance", out, err)
			}
			if n := d.scalar(t, "SELECT COUNT(*) FROM contact_attempts WHERE channel = 'bot' AND borrower_id = "+id); n != 2 {
				t.Errorf("bot contact records = %d, want the message and the reply", n)
			}
			again := d.mustRun(t, "bot", "say", "--borrower", id, "--text", "我还欠多少钱", "--message-id", "m1")
			if !strings.Contains(again, "您的欠款明细如下") {
				t.Errorf("the retried message: %s", again)
			}
			if n := d.scalar(t, "SELECT COUNT(*) FROM contact_attempts WHERE channel = 'bot' AND borrower_id = "+id); n != 2 {
				t.Errorf("bot contact records after the retry = %d, want still 2", n)
			}
			for _, bad := range []struct {
				args []string
				want string
			}{
				{[]string{"bot", "say", "--text", "你好"}, "--borrower"},
				{[]string{"bot", "say", "--borrower", id}, "text"},
			} {
				code, _, errb := d.run(t, bad.args...)
				if code != 2 || !strings.Contains(errb, bad.want) {
					t.Errorf("accord %v: exit %d, %q; want 2 naming %s", bad.args, code, errb, bad.want)
				}
			}
		})
	}
}
