package sqlstore_test

import (
	"context"
	"encoding/json"
	"testing"

	"accord/internal/errs"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// The chatbot's store methods (migration 00018) on both engines.
func TestChatStore(t *testing.T) {
	for _, e := range []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{{"sqlite", storetest.OpenSQLite}, {"postgres", storetest.OpenPostgres}} {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			db := e.open(t)
			t.Run("Conversation", func(t *testing.T) { testChatConversation(t, db) })
			t.Run("Turns", func(t *testing.T) { testChatTurns(t, db) })
			t.Run("Bindings", func(t *testing.T) { testChatBindings(t, db) })
		})
	}
}

var chatCtx = context.Background()

func chatTx(t *testing.T, db *sqlstore.DB, fn func(tx *sqlstore.Tx) error) {
	t.Helper()
	if err := db.InTx(chatCtx, fn); err != nil {
		t.Fatal(err)
	}
}

func testChatConversation(t *testing.T, db *sqlstore.DB) {
	var first, again, other sqlstore.ChatConversation
	chatTx(t, db, func(tx *sqlstore.Tx) (err error) {
		if first, err = tx.OpenConversation(chatCtx, 7, "portal", "", "en"); err != nil {
			return err
		}
		if again, err = tx.OpenConversation(chatCtx, 7, "portal", "", "zh"); err != nil {
			return err
		}
		other, err = tx.OpenConversation(chatCtx, 7, "wechat", "wx-1", "")
		return err
	})
	if first.ID == 0 || again.ID != first.ID || other.ID == first.ID {
		t.Fatalf("OpenConversation ids: %d, %d, %d; want the same conversation per borrower and channel", first.ID, again.ID, other.ID)
	}
	if again.Lang != "en" || string(again.State) != "{}" || again.Status != sqlstore.ChatOpen || again.Version != 0 {
		t.Errorf("a new conversation = %+v; want lang en (first kept), state {}, open, version 0", again)
	}
	if other.Lang != "zh" {
		t.Errorf("default language = %q, want zh", other.Lang)
	}
	c := first
	c.State = json.RawMessage(`{"step":"ask_amount","lang":"en","date":"2026-03-10"}`)
	c.Status = sqlstore.ChatHandedOver
	c.LastInAt = c.CreatedAt
	chatTx(t, db, func(tx *sqlstore.Tx) error { return tx.SaveConversation(chatCtx, &c) })
	if c.Version != 1 {
		t.Errorf("version after save = %d, want 1", c.Version)
	}
	stale := first // version 0
	err := db.InTx(chatCtx, func(tx *sqlstore.Tx) error { return tx.SaveConversation(chatCtx, &stale) })
	if errs.CodeOf(err) != errs.Conflict {
		t.Errorf("saving a stale conversation: %v, want Conflict", err)
	}
	var got, byKey sqlstore.ChatConversation
	var list []sqlstore.ChatConversation
	chatTx(t, db, func(tx *sqlstore.Tx) (err error) {
		if got, err = tx.Conversation(chatCtx, first.ID); err != nil {
			return err
		}
		if byKey, err = tx.ConversationOf(chatCtx, 7, "wechat", "wx-1"); err != nil {
			return err
		}
		list, err = tx.ConversationsOf(chatCtx, 7)
		return err
	})
	if byKey.ID != other.ID {
		t.Errorf("ConversationOf(wechat, wx-1) = %d, want %d", byKey.ID, other.ID)
	}
	var st map[string]any
	if err := json.Unmarshal(got.State, &st); err != nil || st["step"] != "ask_amount" || st["date"] != "2026-03-10" {
		t.Errorf("stored state = %s (%v)", got.State, err)
	}
	if got.Status != sqlstore.ChatHandedOver || got.Version != 1 || got.LastInAt.IsZero() {
		t.Errorf("stored conversation = %+v", got)
	}
	if len(list) != 2 {
		t.Errorf("ConversationsOf = %d conversations, want 2", len(list))
	}
	err = db.Read(chatCtx, func(tx *sqlstore.Tx) error { _, err := tx.Conversation(chatCtx, 999999); return err })
	if errs.CodeOf(err) != errs.NotFound {
		t.Errorf("missing conversation: %v, want NotFound", err)
	}
	err = db.Read(chatCtx, func(tx *sqlstore.Tx) error { _, err := tx.ConversationOf(chatCtx, 7, "line", ""); return err })
	if errs.CodeOf(err) != errs.NotFound {
		t.Errorf("ConversationOf a channel never used: %v, want NotFound", err)
	}
}

func testChatTurns(t *testing.T, db *sqlstore.DB) {
	var conv sqlstore.ChatConversation
	chatTx(t, db, func(tx *sqlstore.Tx) (err error) {
		conv, err = tx.OpenConversation(chatCtx, 8, "portal", "", "zh")
		return err
	})
	turns := []sqlstore.ChatTurn{
		{BorrowerID: 8, ConversationID: conv.ID, MessageKey: "m1", Intent: "promise_to_pay", InboundID: 11, OutboundID: 12,
			Reply: json.RawMessage(`{"text":"请问您具体哪一天还款？"}`)},
		{BorrowerID: 8, ConversationID: conv.ID, MessageKey: "m2", Intent: "promise_to_pay", Action: "record_promise", InboundID: 13},
	}
	chatTx(t, db, func(tx *sqlstore.Tx) error {
		for i := range turns {
			if err := tx.AddChatTurn(chatCtx, &turns[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if turns[0].Seq != 1 || turns[1].Seq != 2 || turns[1].ID == 0 {
		t.Errorf("turn seqs %d, %d (id %d); want 1, 2", turns[0].Seq, turns[1].Seq, turns[1].ID)
	}
	dup := sqlstore.ChatTurn{BorrowerID: 8, ConversationID: conv.ID, MessageKey: "m1"}
	err := db.InTx(chatCtx, func(tx *sqlstore.Tx) error { return tx.AddChatTurn(chatCtx, &dup) })
	if errs.CodeOf(err) != errs.Conflict {
		t.Errorf("a second turn with key m1: %v, want Conflict", err)
	}
	var byKey sqlstore.ChatTurn
	var list []sqlstore.ChatTurn
	chatTx(t, db, func(tx *sqlstore.Tx) (err error) {
		if byKey, err = tx.ChatTurnByKey(chatCtx, conv.ID, "m1"); err != nil {
			return err
		}
		list, err = tx.ChatTurns(chatCtx, conv.ID, 10)
		return err
	})
	var reply map[string]string
	if err := json.Unmarshal(byKey.Reply, &reply); err != nil || reply["text"] != "请问您具体哪一天还款？" || byKey.OutboundID != 12 {
		t.Errorf("ChatTurnByKey = %+v (%v)", byKey, err)
	}
	if len(list) != 2 || list[0].MessageKey != "m1" || list[1].Action != "record_promise" || string(list[1].Reply) != "{}" {
		t.Errorf("ChatTurns = %+v; want m1 then m2", list)
	}
	err = db.Read(chatCtx, func(tx *sqlstore.Tx) error { _, err := tx.ChatTurnByKey(chatCtx, conv.ID, "m9"); return err })
	if errs.CodeOf(err) != errs.NotFound {
		t.Errorf("missing turn: %v, want NotFound", err)
	}
}

func testChatBindings(t *testing.T, db *sqlstore.DB) {
	var b, same sqlstore.ChatBinding
	chatTx(t, db, func(tx *sqlstore.Tx) (err error) {
		if b, err = tx.ChatBindingOf(chatCtx, 3, "wechat", "wx-9"); err != nil {
			return err
		}
		same, err = tx.ChatBindingOf(chatCtx, 3, "wechat", "wx-9")
		return err
	})
	if b.ID == 0 || same.ID != b.ID || b.Verified() {
		t.Fatalf("ChatBindingOf = %+v then %+v; want one unverified binding", b, same)
	}
	var n1, n2 int
	chatTx(t, db, func(tx *sqlstore.Tx) (err error) {
		if n1, err = tx.FailChatBinding(chatCtx, b.ID); err != nil {
			return err
		}
		n2, err = tx.FailChatBinding(chatCtx, b.ID)
		return err
	})
	if n1 != 1 || n2 != 2 {
		t.Errorf("failures = %d, %d; want 1, 2", n1, n2)
	}
	chatTx(t, db, func(tx *sqlstore.Tx) error { return tx.VerifyChatBinding(chatCtx, b.ID, 42, 420) })
	var got sqlstore.ChatBinding
	chatTx(t, db, func(tx *sqlstore.Tx) (err error) {
		got, err = tx.FindChatBinding(chatCtx, 3, "wechat", "wx-9")
		return err
	})
	if !got.Verified() || got.BorrowerID != 42 || got.LoanID != 420 || got.Failures != 0 || got.LastFailedAt.IsZero() {
		t.Errorf("verified binding = %+v", got)
	}
	err := db.Read(chatCtx, func(tx *sqlstore.Tx) error { _, err := tx.FindChatBinding(chatCtx, 4, "wechat", "wx-9"); return err })
	if errs.CodeOf(err) != errs.NotFound {
		t.Errorf("another integration's reference: %v, want NotFound", err)
	}
}
