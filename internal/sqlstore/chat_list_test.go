package sqlstore_test

import (
	"testing"

	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// Conversations (the staff list of the chatbot's conversations) on both
// engines: filters by status and borrower, the turn count, the order (the
// latest message first), paging, and a scope that reaches nothing.
func TestChatStore_Conversations(t *testing.T) {
	for _, e := range []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{{"sqlite", storetest.OpenSQLite}, {"postgres", storetest.OpenPostgres}} {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			db := e.open(t)
			var a, b sqlstore.ChatConversation
			chatTx(t, db, func(tx *sqlstore.Tx) (err error) {
				if a, err = tx.OpenConversation(chatCtx, 101, "portal", "", "zh"); err != nil {
					return err
				}
				if b, err = tx.OpenConversation(chatCtx, 102, "wechat", "wx-9", "zh"); err != nil {
					return err
				}
				for i, key := range []string{"m1", "m2"} {
					if err := tx.AddChatTurn(chatCtx, &sqlstore.ChatTurn{BorrowerID: 101, ConversationID: a.ID, MessageKey: key,
						Intent: "ask_balance", InboundID: int64(i + 1)}); err != nil {
						return err
					}
				}
				b.Status, b.LastInAt = sqlstore.ChatHandedOver, b.CreatedAt
				return tx.SaveConversation(chatCtx, &b)
			})
			list := func(f sqlstore.ChatConversationFilter) ([]sqlstore.ChatConversationRow, int) {
				t.Helper()
				var rows []sqlstore.ChatConversationRow
				var n int
				chatTx(t, db, func(tx *sqlstore.Tx) (err error) {
					rows, n, err = tx.Conversations(chatCtx, f)
					return err
				})
				return rows, n
			}
			all, n := list(sqlstore.ChatConversationFilter{Scope: &sqlstore.ScopeAll})
			if n != 2 || len(all) != 2 || all[0].ID != b.ID || all[1].ID != a.ID || all[1].Turns != 2 || all[0].Turns != 0 {
				t.Errorf("all = %+v (%d); want b (latest message) then a with 2 turns", all, n)
			}
			if rows, n := list(sqlstore.ChatConversationFilter{Status: sqlstore.ChatHandedOver}); n != 1 || rows[0].ID != b.ID {
				t.Errorf("handed over = %+v", rows)
			}
			if rows, n := list(sqlstore.ChatConversationFilter{Status: sqlstore.ChatOpen, BorrowerID: 101}); n != 1 || rows[0].ID != a.ID {
				t.Errorf("open of borrower 101 = %+v", rows)
			}
			if rows, n := list(sqlstore.ChatConversationFilter{Limit: 1, Offset: 1}); n != 2 || len(rows) != 1 || rows[0].ID != a.ID {
				t.Errorf("second page = %+v (%d)", rows, n)
			}
			if rows, n := list(sqlstore.ChatConversationFilter{Vulnerable: true}); n != 0 || len(rows) != 0 {
				t.Errorf("vulnerable (no borrower flagged) = %+v", rows)
			}
			if rows, n := list(sqlstore.ChatConversationFilter{Scope: &sqlstore.Scope{}}); n != 0 || len(rows) != 0 {
				t.Errorf("a scope reaching nothing lists %+v", rows)
			}
		})
	}
}
