package storetest

import (
	"slices"
	"testing"

	"accord/internal/auth"
	"accord/internal/borrower"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// RunDemoRun is the contract of the demo-run mark (sqlstore demo_run.go):
// MarkDemo, CreateDemoRun, DemoRun, UndoDemo and DeleteDemoRun.
func RunDemoRun(t *testing.T, open func(testing.TB) *sqlstore.DB) {
	t.Run("MarkAndUndo", func(t *testing.T) {
		t.Parallel()
		testDemoRunUndo(t, open(t))
	})
	t.Run("Delete", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		var m sqlstore.DemoMark
		write(t, db, func(tx *sqlstore.Tx) (err error) {
			if m, err = tx.MarkDemo(ctx); err != nil {
				return err
			}
			return tx.CreateDemoRun(ctx, m)
		})
		write(t, db, func(tx *sqlstore.Tx) error { return tx.DeleteDemoRun(ctx) })
		read(t, db, func(tx *sqlstore.Tx) error {
			_, err := tx.DemoRun(ctx)
			wantCode(t, err, errs.NotFound)
			return nil
		})
	})
}

func testDemoRunUndo(t *testing.T, db *sqlstore.DB) {
	count := func(table string) (n int64) {
		t.Helper()
		read(t, db, func(tx *sqlstore.Tx) error { return tx.Inspect(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n) })
		return n
	}
	// Before the demo: a user, two audit events.
	admin := auth.User{Username: "admin", Roles: []auth.Role{auth.Admin}}
	write(t, db, func(tx *sqlstore.Tx) error {
		if _, err := tx.DemoRun(ctx); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("DemoRun on a fresh database = %v, want NotFound", err)
		}
		if err := tx.CreateUser(ctx, &admin); err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx, event(1)); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, event(2))
	})
	var m sqlstore.DemoMark
	write(t, db, func(tx *sqlstore.Tx) (err error) {
		if m, err = tx.MarkDemo(ctx); err != nil {
			return err
		}
		return tx.CreateDemoRun(ctx, m)
	})
	wantCode(t, db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.CreateDemoRun(ctx, m) }), errs.Conflict)
	if m.AuditSeq != 2 || m.AuditHash == "" || m.Above["users"] != admin.ID || !slices.Contains(m.Empty, "borrowers") ||
		!slices.Contains(m.Empty, "contacts") || slices.Contains(m.Empty, "users") || slices.Contains(m.Empty, "demo_runs") ||
		slices.Contains(m.Empty, "audit_events") {
		t.Fatalf("mark = %+v", m)
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.DemoRun(ctx)
		if err != nil {
			return err
		}
		if got.AuditSeq != m.AuditSeq || got.AuditHash != m.AuditHash || !got.StartedAt.Equal(m.StartedAt) ||
			!slices.Equal(got.Empty, m.Empty) || got.Above["users"] != m.Above["users"] {
			t.Errorf("DemoRun = %+v, want %+v", got, m)
		}
		return nil
	})

	// The demo writes rows with foreign keys between them, a user and events.
	write(t, db, func(tx *sqlstore.Tx) error {
		b := borrower.Borrower{ExternalID: "D-1", Name: "演示", TimeZone: "Asia/Shanghai"}
		if err := tx.CreateBorrower(ctx, &b); err != nil {
			return err
		}
		if err := tx.CreateContact(ctx, &borrower.Contact{BorrowerID: b.ID, Name: "母亲", Relationship: "mother",
			Phone: "+8613700137000", ConsentBasis: "loan_application"}); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, &auth.User{Username: "collector", Roles: []auth.Role{auth.Collector}}); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, event(3))
	})
	write(t, db, func(tx *sqlstore.Tx) error {
		m, err := tx.DemoRun(ctx)
		if err != nil {
			return err
		}
		return tx.UndoDemo(ctx, m)
	})
	for table, want := range map[string]int64{"borrowers": 0, "contacts": 0, "users": 1, "audit_events": 2, "demo_runs": 0} {
		if n := count(table); n != want {
			t.Errorf("%d rows in %s after UndoDemo, want %d", n, table, want)
		}
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		seq, hash, err := tx.AuditHead(ctx)
		if seq != m.AuditSeq || hash != m.AuditHash {
			t.Errorf("audit head after UndoDemo = %d %s, want %d %s", seq, hash, m.AuditSeq, m.AuditHash)
		}
		return err
	})
	if n := verifyChain(t, db); n != 2 {
		t.Errorf("the chain verifies to %d events, want 2", n)
	}
	// The chain goes on from the mark.
	write(t, db, func(tx *sqlstore.Tx) error { return tx.AppendAudit(ctx, event(4)) })
	if n := verifyChain(t, db); n != 3 {
		t.Errorf("the chain verifies to %d events after one more, want 3", n)
	}
}
