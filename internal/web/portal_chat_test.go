package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"accord/internal/date"
	"accord/internal/money"
	"accord/internal/promise"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

var hiddenMessageID = regexp.MustCompile(`name="message_id" id="chat-message-id" value="([^"]+)"`)

// TestPortal_Chat talks to the chatbot from the portal's chat page as the
// signed-in borrower, on both engines: a promise asked for, confirmed and
// recorded in the promise book (channel portal); the same form sent again
// is answered once; the script's JSON post gets the turn; an empty message
// names the field and writes nothing; and without a session the page
// sends the borrower to sign in.
func TestPortal_Chat(t *testing.T) {
	for _, eng := range []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{{"sqlite", storetest.OpenSQLite}, {"postgres", storetest.OpenPostgres}} {
		t.Run(eng.name, func(t *testing.T) {
			t.Parallel()
			e := newPortalEnv(t, eng.open(t))
			d := e.debtor(t, 0)
			c := browserClient(t)
			if p := get(t, c, e.ts.URL+"/my/chat"); !strings.HasSuffix(p.url, "/my/login") {
				t.Fatalf("GET /my/chat without a session ended at %s", p.url)
			}
			csrf := e.signIn(t, c, d)
			page := get(t, c, e.ts.URL+"/my/chat")
			if page.status != http.StatusOK || !strings.Contains(page.body, "在线客服") || !strings.Contains(page.body, `id="chat-form"`) {
				t.Fatalf("GET /my/chat = %d:\n%.1500s", page.status, page.body)
			}
			say := func(text string) portalPage {
				t.Helper()
				id := field(t, hiddenMessageID, page.body)
				p := post(t, c, e.ts.URL+"/my/chat", "csrf_token", csrf, "message_id", id, "text", text)
				if p.status != http.StatusOK || !strings.Contains(p.url, "/my/chat") {
					t.Fatalf("POST /my/chat %q = %d at %s:\n%.1500s", text, p.status, p.url, p.body)
				}
				page = p
				return p
			}
			say("我下周五还五百")
			if !strings.Contains(page.body, "2026年3月13日") || !strings.Contains(page.body, "500.00") {
				t.Fatalf("the bot does not ask to confirm 500 on 2026-03-13:\n%.3000s", page.body)
			}
			if n := e.promisesOf(t, d.b.ID); len(n) != 0 {
				t.Fatalf("a promise before the borrower confirmed: %v", n)
			}
			id := field(t, hiddenMessageID, page.body)
			say("对")
			if !strings.Contains(page.body, "已记录您的还款承诺") {
				t.Fatalf("no confirmation on the page:\n%.3000s", page.body)
			}
			ps := e.promisesOf(t, d.b.ID)
			if len(ps) != 1 || ps[0].Amount != money.Amount(500_00) || ps[0].Due != date.MustParse("2026-03-13") ||
				ps[0].Channel != "portal" || ps[0].CaseID != d.caseID {
				t.Fatalf("promises = %+v; want one of 500.00 due 2026-03-13 on case %d by portal", ps, d.caseID)
			}
			// The form of the first message sent again is the first answer.
			if p := post(t, c, e.ts.URL+"/my/chat", "csrf_token", csrf, "message_id", id, "text", "对"); p.status != http.StatusOK {
				t.Fatalf("resent form: %d", p.status)
			}
			if ps := e.promisesOf(t, d.b.ID); len(ps) != 1 {
				t.Errorf("a resent form made %d promises, want 1", len(ps))
			}

			form := url.Values{"csrf_token": {csrf}, "message_id": {"portal-js-1"}, "text": {"我还欠多少钱"}}
			req, _ := http.NewRequest("POST", e.ts.URL+"/my/chat", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Accept", "application/json")
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var out struct {
				Turn struct {
					Borrower string `json:"borrower"`
					Replies  []struct {
						Text  string                 `json:"text"`
						Links []struct{ URL string } `json:"links"`
					} `json:"replies"`
				} `json:"turn"`
				Next string `json:"next_message_id"`
			}
			err = json.NewDecoder(resp.Body).Decode(&out)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK || out.Turn.Borrower != "我还欠多少钱" || len(out.Turn.Replies) == 0 ||
				out.Next == "" || !strings.Contains(out.Turn.Replies[0].Text, "元") {
				t.Fatalf("JSON post: %d %+v %v", resp.StatusCode, out, err)
			}

			before := e.countRows(t, "SELECT COUNT(*) FROM chat_turns")
			p := post(t, c, e.ts.URL+"/my/chat", "csrf_token", csrf, "message_id", "portal-empty", "text", "  ")
			if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "消息填写有误") {
				t.Errorf("empty message: %d\n%.1000s", p.status, p.body)
			}
			if after := e.countRows(t, "SELECT COUNT(*) FROM chat_turns"); after != before {
				t.Errorf("an empty message wrote %d turns", after-before)
			}
			if p := post(t, c, e.ts.URL+"/my/chat", "message_id", "portal-x", "text", "你好"); p.status != http.StatusForbidden {
				t.Errorf("without the CSRF token: %d, want 403", p.status)
			}
		})
	}
}

func (e *portalEnv) promisesOf(t *testing.T, borrowerID int64) []promise.Promise {
	t.Helper()
	var ps []promise.Promise
	err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		ps, err = tx.Promises(ctx, sqlstore.PromiseFilter{BorrowerID: borrowerID})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func (e *portalEnv) countRows(t *testing.T, q string) int {
	t.Helper()
	var n int
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error { return tx.Inspect(ctx, q).Scan(&n) }); err != nil {
		t.Fatal(err)
	}
	return n
}
