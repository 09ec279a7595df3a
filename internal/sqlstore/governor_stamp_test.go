package sqlstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"accord/internal/calendar"
	"accord/internal/date"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// TestContactRulesStamp: the stamp changes with every edit of the holiday
// calendar and the contact policies, stays put otherwise, and a rolled-back
// edit leaves it as it was.
func TestContactRulesStamp(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		stamp := func() string {
			t.Helper()
			var s string
			if err := db.Read(ctx, func(tx *sqlstore.Tx) (err error) { s, err = tx.ContactRulesStamp(ctx); return err }); err != nil {
				t.Fatal(err)
			}
			return s
		}
		write := func(fn func(tx *sqlstore.Tx) error) error { return db.InTx(ctx, fn) }
		last := stamp()
		if last == "" {
			t.Fatal("empty stamp on a new database")
		}
		if again := stamp(); again != last {
			t.Errorf("stamp moved without an edit: %q then %q", last, again)
		}
		days := []calendar.Day{{Date: date.MustParse("2027-01-01"), Kind: calendar.Holiday,
			Name: calendar.Name{ZH: "元旦", EN: "New Year"}}}
		policy := sqlstore.PolicyRecord{Jurisdiction: "CN", Policy: json.RawMessage(`{"max_calls_per_day":2}`), UpdatedBy: "admin"}
		edits := []struct {
			name string
			fn   func(tx *sqlstore.Tx) error
		}{
			{"calendar year stored", func(tx *sqlstore.Tx) error { return tx.ReplaceCalendarYear(ctx, 2027, days, "admin") }},
			{"calendar year reverted", func(tx *sqlstore.Tx) error { return tx.ReplaceCalendarYear(ctx, 2027, nil, "admin") }},
			{"policy saved", func(tx *sqlstore.Tx) error { return tx.SaveContactPolicy(ctx, &policy) }},
			{"policy saved again", func(tx *sqlstore.Tx) error { return tx.SaveContactPolicy(ctx, &policy) }},
			{"profile activated", func(tx *sqlstore.Tx) error { return tx.ActivateContactPolicy(ctx, "US", "admin") }},
		}
		for _, ed := range edits {
			if err := write(ed.fn); err != nil {
				t.Fatalf("%s: %v", ed.name, err)
			}
			if now := stamp(); now == last {
				t.Errorf("%s: stamp still %q", ed.name, now)
			} else {
				last = now
			}
		}
		// Seen inside the editing transaction, and gone with its rollback.
		rollback := errors.New("roll back")
		err := write(func(tx *sqlstore.Tx) error {
			if err := tx.ActivateContactPolicy(ctx, "CN", "admin"); err != nil {
				return err
			}
			if s, err := tx.ContactRulesStamp(ctx); err != nil || s == last {
				t.Errorf("inside the edit: stamp %q, %v; want a new one", s, err)
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatalf("rolled-back edit: %v", err)
		}
		if now := stamp(); now != last {
			t.Errorf("after a rollback the stamp is %q, want %q", now, last)
		}
	})
}
