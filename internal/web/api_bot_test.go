package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/chat"
	"accord/internal/collect"
	"accord/internal/sqlstore"
)

// TestBotMessages_API drives POST /api/v1/bot/messages as a messaging
// channel integration: only the bot_channel role may call it; bad input
// names the field; a borrower reference is bound once with the loan number
// and the registered mobile (wrong pairs counted, then locked); the bot's
// replies come back, a retried message id is answered once; and an
// integration reaches only the borrowers bound to its own references.
func TestBotMessages_API(t *testing.T) {
	for _, eng := range openers() {
		t.Run(eng.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, eng.open(t), envOpts{Cycle: true, Quiet: true})
			loanNo, phone := e.loanNumberAndPhone(t)
			post := func(role auth.Role, body string) (int, map[string]any) {
				rec := e.do(t, request{role: role, method: "POST", url: "/api/v1/bot/messages", body: body})
				var out map[string]any
				_ = json.Unmarshal(rec.Body.Bytes(), &out)
				return rec.Code, out
			}
			msg := func(ref, text, extra string) string {
				return fmt.Sprintf(`{"channel":"wechat","borrower_ref":%q,"text":%q%s}`, ref, text, extra)
			}

			for _, r := range auth.Roles {
				if r == auth.BotChannel {
					continue
				}
				if code, _ := post(r, msg("wx-1", "你好", "")); code != http.StatusForbidden {
					t.Errorf("%s posts a bot message: %d, want 403", r, code)
				}
			}
			if code, _ := post(anonymous, msg("wx-1", "你好", "")); code != http.StatusUnauthorized {
				t.Errorf("anonymous: %d, want 401", code)
			}

			bad := []struct{ name, body, field string }{
				{"no text", `{"channel":"wechat","borrower_ref":"wx-1","text":""}`, "text"},
				{"bad channel", `{"channel":"We Chat","borrower_ref":"wx-1","text":"你好"}`, "channel"},
				{"portal channel", `{"channel":"portal","borrower_ref":"wx-1","text":"你好"}`, "channel"},
				{"no ref", `{"channel":"wechat","text":"你好"}`, "borrower_ref"},
				{"bad lang", msg("wx-1", "你好", `,"lang":"fr"`), "lang"},
				{"unbound, no loan number", msg("wx-1", "你好", ""), "loan_number"},
			}
			for _, b := range bad {
				code, out := post(auth.BotChannel, b.body)
				if code != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(out), b.field) {
					t.Errorf("%s: %d %v; want 422 naming %s", b.name, code, out, b.field)
				}
			}

			wrong := msg("wx-1", "你好", fmt.Sprintf(`,"loan_number":%q,"phone":"13900000000"`, loanNo))
			for i := range 5 {
				code, out := post(auth.BotChannel, wrong)
				if code != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(out), "loan_number") {
					t.Fatalf("wrong phone %d: %d %v; want 422 naming loan_number", i+1, code, out)
				}
			}
			right := msg("wx-1", "我还欠多少钱", fmt.Sprintf(`,"loan_number":%q,"phone":%q`, loanNo, phone))
			if code, out := post(auth.BotChannel, right); code != http.StatusForbidden {
				t.Errorf("after 5 wrong pairs the right one: %d %v; want 403 (locked)", code, out)
			}

			code, out := post(auth.BotChannel, msg("wx-2", "我还欠多少钱", fmt.Sprintf(`,"loan_number":%q,"phone":%q,"message_id":"m-1"`, loanNo, phone)))
			if code != http.StatusOK {
				t.Fatalf("bind and ask the balance: %d %v", code, out)
			}
			var a chat.Answer
			raw, _ := json.Marshal(out)
			if err := json.Unmarshal(raw, &a); err != nil || a.Intent != "ask_balance" || len(a.Replies) != 1 ||
				!strings.Contains(a.Replies[0].Text, "您的欠款明细如下") || a.Action != "answer_balance" {
				t.Fatalf("answer = %+v (%v); want the balance", a, err)
			}
			code, out = post(auth.BotChannel, msg("wx-2", "我还欠多少钱", `,"message_id":"m-1"`))
			if code != http.StatusOK || out["repeated"] != true || out["conversation_id"] != float64(a.ConversationID) {
				t.Errorf("the same message id again: %d %v; want the first answer, repeated", code, out)
			}
			code, out = post(auth.BotChannel, msg("wx-2", "怎么还款", ""))
			if code != http.StatusOK || out["intent"] != "ask_how_to_pay" {
				t.Errorf("a bound reference without the loan number: %d %v", code, out)
			}

			// Another integration does not reach the borrower through the
			// first one's binding.
			other := e.botIntegration(t, "bot-other")
			rec := e.do(t, request{method: "POST", url: "/api/v1/bot/messages", body: msg("wx-2", "我还欠多少钱", ""),
				headers: map[string]string{"Authorization": "Bearer " + other}})
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "loan_number") {
				t.Errorf("another integration with the same reference: %d %s; want it unbound (422 naming loan_number)", rec.Code, rec.Body)
			}
		})
	}
}

// loanNumberAndPhone returns the env borrower's loan number and registered
// mobile number.
func (e *env) loanNumberAndPhone(t *testing.T) (string, string) {
	t.Helper()
	var loanNo, phone string
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		l, err := tx.Loan(ctx, e.loanID)
		if err != nil {
			return err
		}
		b, err := tx.Borrower(ctx, l.BorrowerID)
		if err != nil {
			return err
		}
		loanNo = l.ExternalID
		for _, p := range b.Phones {
			if strings.HasPrefix(p.Number, "+861") {
				phone = strings.TrimPrefix(p.Number, "+86")
				break
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if loanNo == "" || phone == "" {
		t.Fatalf("the env borrower has loan number %q and mobile %q", loanNo, phone)
	}
	return loanNo, phone
}

// botIntegration creates another messaging-channel integration user and
// returns its API token.
func (e *env) botIntegration(t *testing.T, name string) string {
	t.Helper()
	if _, err := e.svc.CreateUser(ctx, collect.System("test"), auth.User{Username: name, Roles: []auth.Role{auth.BotChannel}},
		"correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	tok, err := e.svc.CreateToken(ctx, collect.System("test"), name, "tests")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
