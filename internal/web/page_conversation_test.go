package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/chat"
	"accord/internal/collect"
	"accord/internal/sqlstore"
)

// TestConversations_Console shows the chatbot's conversations to staff, on
// both engines: the list with its filters (with the bot, handed over,
// vulnerable), one conversation with the borrower's messages, the parsed
// intents, the bot's actions and its handover task; a collector and an
// agency see only the conversations of their cases, a supervisor all of
// them, the messaging integration none; Chinese first, English on request.
func TestConversations_Console(t *testing.T) {
	for _, eng := range openers() {
		t.Run(eng.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, eng.open(t), envOpts{Cycle: true, Quiet: true})
			bot := chat.New(e.svc, chat.Options{})
			say := func(borrowerID int64, text string) chat.Answer {
				t.Helper()
				a, err := bot.PortalMessage(ctx, borrowerID, "test", chat.Message{Text: text})
				if err != nil {
					t.Fatalf("PortalMessage(%d, %q): %v", borrowerID, text, err)
				}
				return a
			}
			if a := say(e.borrowerID, "我还欠多少钱"); a.Action != "answer_balance" {
				t.Fatalf("balance: %+v", a)
			}
			if a := say(e.borrowerID, "转人工"); !a.Handover || a.TaskID == 0 {
				t.Fatalf("handover: %+v", a)
			}
			var other int64
			if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
				return tx.Inspect(ctx, `SELECT borrower_id FROM cases WHERE status = 'open'
					AND borrower_id <> ? ORDER BY id LIMIT 1`, e.borrowerID).Scan(&other)
			}); err != nil {
				t.Fatal(err)
			}
			if a := say(other, "我得了癌症，真的不想活了"); !a.Handover {
				t.Fatalf("vulnerable: %+v", a)
			}
			var mine, theirs int64
			for _, c := range []struct {
				b  int64
				id *int64
			}{{e.borrowerID, &mine}, {other, &theirs}} {
				items, _, err := bot.Conversations(ctx, collect.System("test"), chat.ConversationQuery{})
				if err != nil {
					t.Fatal(err)
				}
				for _, it := range items {
					if it.BorrowerID == c.b {
						*c.id = it.ID
					}
				}
			}
			if mine == 0 || theirs == 0 {
				t.Fatalf("conversations not listed: %d %d", mine, theirs)
			}
			row := func(id int64) string { return fmt.Sprintf(`href="/conversations/%d"`, id) }
			page := func(role auth.Role, url string, lang ...string) (int, string) {
				t.Helper()
				r := request{role: role, method: "GET", url: url}
				if len(lang) > 0 {
					r.headers = map[string]string{"Cookie": "accord_lang=" + lang[0]}
				}
				rec := e.do(t, r)
				return rec.Code, rec.Body.String()
			}

			code, body := page(auth.Supervisor, "/conversations")
			if code != http.StatusOK || !strings.Contains(body, row(mine)) || !strings.Contains(body, row(theirs)) ||
				!strings.Contains(body, "机器人会话") {
				t.Fatalf("supervisor's list: %d\n%.2000s", code, body)
			}
			_, body = page(auth.Supervisor, "/conversations?filter=vulnerable")
			if strings.Contains(body, row(mine)) || !strings.Contains(body, row(theirs)) {
				t.Errorf("vulnerable filter: mine %v theirs %v", strings.Contains(body, row(mine)), strings.Contains(body, row(theirs)))
			}
			_, body = page(auth.Supervisor, "/conversations?filter=handed_over")
			if !strings.Contains(body, row(mine)) || !strings.Contains(body, row(theirs)) {
				t.Error("handed-over filter lacks a handed-over conversation")
			}
			_, body = page(auth.Supervisor, "/conversations?filter=open")
			if strings.Contains(body, row(mine)) || strings.Contains(body, row(theirs)) {
				t.Error("open filter lists a handed-over conversation")
			}

			code, body = page(auth.Supervisor, fmt.Sprintf("/conversations/%d", mine))
			for _, want := range []string{"我还欠多少钱", "询问欠款", "答复欠款", "要求人工", "转人工", "机器人转人工", "已转人工"} {
				if code != http.StatusOK || !strings.Contains(body, want) {
					t.Errorf("conversation page (%d) lacks %q", code, want)
				}
			}
			_, body = page(auth.Supervisor, fmt.Sprintf("/conversations/%d", theirs))
			if !strings.Contains(body, `id="conv-vulnerable"`) || !strings.Contains(body, "弱势借款人（机器人转交）") {
				t.Errorf("the vulnerable conversation is not marked, or lacks its task:\n%.3000s", body)
			}
			_, body = page(auth.Supervisor, fmt.Sprintf("/conversations/%d", mine), "en")
			for _, want := range []string{"Balance question", "Balance answered", "Asks for a person", "Chat handover"} {
				if !strings.Contains(body, want) {
					t.Errorf("English conversation page lacks %q", want)
				}
			}

			for _, r := range []auth.Role{auth.Collector, auth.AgencyAgent} {
				code, body := page(r, "/conversations")
				if code != http.StatusOK || !strings.Contains(body, row(mine)) || strings.Contains(body, row(theirs)) {
					t.Errorf("%s's list: %d, mine %v, theirs %v", r, code, strings.Contains(body, row(mine)), strings.Contains(body, row(theirs)))
				}
				if code, _ := page(r, fmt.Sprintf("/conversations/%d", theirs)); code != http.StatusNotFound {
					t.Errorf("%s opens another's conversation: %d, want 404", r, code)
				}
				if code, _ := page(r, fmt.Sprintf("/conversations/%d", mine)); code != http.StatusOK {
					t.Errorf("%s opens their case's conversation: %d", r, code)
				}
			}
			if code, _ := page(auth.BotChannel, "/conversations"); code != http.StatusForbidden {
				t.Errorf("the messaging integration reads conversations: %d, want 403", code)
			}
		})
	}
}
