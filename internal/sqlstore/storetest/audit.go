package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"accord/internal/audit"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

func event(n int) audit.Event {
	return audit.Event{
		Actor:      audit.Actor{UserID: int64(n%3 + 1), Username: fmt.Sprintf("user%d", n%3+1), Role: "collector"},
		Action:     "payment.record",
		EntityType: "loan",
		EntityID:   fmt.Sprint(n % 5),
		Summary:    audit.Summarize(map[string]any{"amount_minor": 100_00 + n, "note": "还款 <ok> & done", "big": int64(1) << 60}),
		RequestID:  fmt.Sprintf("req-%d", n),
	}
}

// verifyChain streams the whole log through audit.Verifier and checks it
// ends at the head the store records.
func verifyChain(t *testing.T, db *sqlstore.DB) int64 {
	t.Helper()
	var v audit.Verifier
	if err := db.AuditEvents(ctx, func(e audit.Event) error {
		v.Add(e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if bad, reason, ok := v.Result(); !ok {
		t.Fatalf("audit chain broken at %d: %s", bad, reason)
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		seq, hash, err := tx.AuditHead(ctx)
		if vs, vh := v.Head(); vs != seq || vh != hash {
			t.Errorf("AuditHead = %d %s; chain ends at %d %s", seq, hash, vs, vh)
		}
		return err
	})
	return v.Count()
}

func testAudit(t *testing.T, db *sqlstore.DB) {
	write(t, db, func(tx *sqlstore.Tx) error {
		for i := range 5 {
			if err := tx.AppendAudit(ctx, event(i)); err != nil {
				return err
			}
		}
		e := event(5)
		e.At = t0.Add(123) // nanoseconds are dropped before hashing
		e.Summary = nil
		return tx.AppendAudit(ctx, e)
	})
	if n := verifyChain(t, db); n != 6 {
		t.Errorf("chain has %d events, want 6", n)
	}
	var all []audit.Event
	if err := db.AuditEvents(ctx, func(e audit.Event) error {
		all = append(all, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if all[0].Seq != 1 || all[0].PrevHash != "" || !all[5].At.Equal(t0) || all[5].Summary != nil {
		t.Errorf("events = %+v", all)
	}
	if string(all[0].Summary) != string(event(0).Summary) {
		t.Errorf("summary stored as %s, want %s byte for byte", all[0].Summary, event(0).Summary)
	}
	stop := errors.New("stop")
	count := 0
	err := db.AuditEvents(ctx, func(audit.Event) error {
		count++
		return stop
	})
	if !errors.Is(err, stop) || count != 1 {
		t.Errorf("AuditEvents did not stop at fn's error: %v after %d", err, count)
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		list, total, err := tx.AuditEventsFor(ctx, sqlstore.AuditFilter{EntityType: ptr("loan"), EntityID: ptr("0")})
		if total != 2 || len(list) != 2 || list[0].Seq != 6 || list[1].Seq != 1 {
			t.Errorf("AuditEventsFor(loan 0) = %d events, total %d", len(list), total)
		}
		list, total, _ = tx.AuditEventsFor(ctx, sqlstore.AuditFilter{ActorUserID: ptr(int64(2)), Limit: 1})
		if total != 2 || len(list) != 1 || list[0].Seq != 5 {
			t.Errorf("AuditEventsFor(user 2) = %+v, total %d", list, total)
		}
		list, total, _ = tx.AuditEventsFor(ctx, sqlstore.AuditFilter{BeforeSeq: ptr(int64(4)), Limit: 2})
		if total != 3 || len(list) != 2 || list[0].Seq != 3 || list[1].Seq != 2 {
			t.Errorf("AuditEventsFor(before 4) = %d events, total %d", len(list), total)
		}
		return err
	})

	// Tampering with a stored row is caught.
	write(t, db, func(tx *sqlstore.Tx) error {
		var n int
		return tx.Inspect(ctx, "UPDATE audit_events SET entity_id = ? WHERE seq = ? RETURNING seq", "99", 3).Scan(&n)
	})
	var v audit.Verifier
	_ = db.AuditEvents(ctx, func(e audit.Event) error {
		v.Add(e)
		return nil
	})
	if bad, _, ok := v.Result(); ok || bad != 3 {
		t.Errorf("tampered chain: Result() = %d, %v; want 3, false", bad, ok)
	}
}

// testAuditConcurrent appends from many writers at once: every append must
// see the one before it, leaving one unbroken chain.
func testAuditConcurrent(t *testing.T, db *sqlstore.DB) {
	const workers, each = 8, 15
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
					return tx.AppendAudit(ctx, event(w*each+i))
				}); err != nil {
					errc <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	if n := verifyChain(t, db); n != workers*each {
		t.Errorf("chain has %d events, want %d", n, workers*each)
	}
}

func testAuditRollback(t *testing.T, db *sqlstore.DB) {
	write(t, db, func(tx *sqlstore.Tx) error { return tx.AppendAudit(ctx, event(1)) })
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := tx.AppendAudit(ctx, event(2)); err != nil {
			return err
		}
		return errs.Errorf(errs.Conflict, "changed my mind")
	})
	wantCode(t, err, errs.Conflict)
	write(t, db, func(tx *sqlstore.Tx) error { return tx.AppendAudit(ctx, event(3)) })
	if n := verifyChain(t, db); n != 2 {
		t.Errorf("chain has %d events, want 2", n)
	}
}
