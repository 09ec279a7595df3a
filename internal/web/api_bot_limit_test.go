package web_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/sqlstore"
	"accord/internal/testkit"
	"accord/internal/web"
)

// TestBotMessages_RateLimit sends messages over the bot endpoint's limits,
// on both engines: a borrower reference over its count and then the
// integration over its own are answered 429 with Retry-After (seconds to
// the end of the window), name what was limited, and write nothing; once
// the window has passed the same messages go through.
func TestBotMessages_RateLimit(t *testing.T) {
	for _, eng := range openers() {
		t.Run(eng.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, eng.open(t), envOpts{Quiet: true})
			clock := testkit.NewClock(t0)
			svc := testkit.Service(e.db, clock, collect.Options{Log: slog.New(slog.DiscardHandler)})
			srv, err := web.New(svc, web.Options{Log: slog.New(slog.DiscardHandler), Version: "test",
				BotLimits: web.BotLimits{PerIntegration: 5, PerRef: 3, Window: time.Minute}})
			if err != nil {
				t.Fatal(err)
			}
			loanNo, phone := e.loanNumberAndPhone(t)
			n := 0
			send := func(ref string) *httptest.ResponseRecorder {
				n++
				body := fmt.Sprintf(`{"channel":"wechat","borrower_ref":%q,"text":"你好","message_id":"rl-%d","loan_number":%q,"phone":%q}`,
					ref, n, loanNo, phone)
				req := httptest.NewRequest("POST", "/api/v1/bot/messages", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+e.tokens[auth.BotChannel])
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				return rec
			}
			turns := func() int {
				var c int
				if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error { return tx.Inspect(ctx, "SELECT COUNT(*) FROM chat_turns").Scan(&c) }); err != nil {
					t.Fatal(err)
				}
				return c
			}
			limited := func(rec *httptest.ResponseRecorder, retry, names string) {
				t.Helper()
				if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != retry || !strings.Contains(rec.Body.String(), names) {
					t.Fatalf("got %d Retry-After %q %s; want 429, Retry-After %s, naming %s",
						rec.Code, rec.Header().Get("Retry-After"), rec.Body, retry, names)
				}
			}
			for i := range 3 {
				if rec := send("wx-a"); rec.Code != http.StatusOK {
					t.Fatalf("message %d of wx-a: %d %s", i+1, rec.Code, rec.Body)
				}
			}
			before := turns()
			limited(send("wx-a"), "60", "borrower_ref")
			for i := range 2 {
				if rec := send("wx-b"); rec.Code != http.StatusOK {
					t.Fatalf("message %d of wx-b (the integration's 4th and 5th): %d %s", i+1, rec.Code, rec.Body)
				}
			}
			before += 2
			clock.Advance(20 * time.Second)
			limited(send("wx-c"), "40", "integration")
			limited(send("wx-a"), "40", "integration")
			if got := turns(); got != before {
				t.Errorf("limited messages wrote %d turns", got-before)
			}
			clock.Advance(41 * time.Second)
			if rec := send("wx-a"); rec.Code != http.StatusOK {
				t.Errorf("after the window: %d %s", rec.Code, rec.Body)
			}
		})
	}
}
