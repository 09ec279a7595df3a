package collect

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"accord/internal/audit"
	"accord/internal/auth"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// demoTables are the tables a demo load writes (portfolio, history,
// users, department) and the audit chain.
var demoTables = []string{"borrowers", "borrower_phones", "contacts", "products", "loans", "installments", "payments",
	"loan_positions", "portfolio_snapshots", "bucket_transitions", "runs", "users", "teams", "collectors", "agencies",
	"strategy_versions", "audit_events"}

// tableCounts counts the rows of demoTables and reads the audit head.
func tableCounts(t *testing.T, db *sqlstore.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := db.Read(cwCtx, func(tx *sqlstore.Tx) error {
		for _, name := range demoTables {
			var n int64
			if err := tx.Inspect(cwCtx, "SELECT COUNT(*) FROM "+name).Scan(&n); err != nil {
				return fmt.Errorf("count %s: %w", name, err)
			}
			out[name] = fmt.Sprint(n)
		}
		seq, hash, err := tx.AuditHead(cwCtx)
		out["audit_head"] = fmt.Sprint(seq, " ", hash)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDemo_AllOrNothing: a demo that fails after half the borrowers is
// taken back completely — portfolio, history, audit events — on both
// engines; the anchor kept outside the database never moves past the head
// of before the demo while it runs; a demo that crashed (nothing taken
// back) is taken back by the next one, which then loads the whole demo; and
// the audit chain verifies against every anchor written.
func TestDemo_AllOrNothing(t *testing.T) {
	t.Parallel()
	for _, eng := range []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{{"sqlite", storetest.OpenSQLite}, {"postgres", storetest.OpenPostgres}} {
		t.Run(eng.name, func(t *testing.T) {
			t.Parallel()
			testDemoAllOrNothing(t, eng.open(t))
		})
	}
}

func testDemoAllOrNothing(t *testing.T, db *sqlstore.DB) {
	asOf := date.MustParse("2026-03-01")
	key := []byte("0123456789abcdef0123456789abcdef")
	db.SetAuditKey(key)
	svc := New(db, Options{Now: func() time.Time { return asOf.Time().Add(20 * time.Hour) }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	// Someone set the database up before the demo: a user, audited.
	if _, err := svc.CreateUser(cwCtx, System("setup"), auth.User{Username: "admin", Roles: []auth.Role{auth.Admin}}, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	var anchors []audit.Anchor
	anchor := func() {
		seq, hash, err := svc.AnchorHead(cwCtx)
		if err != nil {
			t.Fatal(err)
		}
		if len(anchors) == 0 || anchors[len(anchors)-1].Seq < seq {
			anchors = append(anchors, audit.NewAnchor(key, seq, hash, time.Now()))
		}
	}
	anchor()
	before := tableCounts(t, db)
	fault := errors.New("injected fault: the disk is full")
	opts := DemoOptions{Borrowers: 200, Seed: 4, AsOf: asOf, HistoryDays: 3, Batch: 50,
		Fault: func(loaded int) error {
			anchor() // the anchoring process keeps running during the demo
			if loaded >= 100 {
				return fault
			}
			return nil
		}}

	// A demo that fails halfway, then is taken back.
	if err := svc.BeginDemo(cwCtx); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.LoadDemo(cwCtx, opts, nil); !errors.Is(err, fault) {
		t.Fatalf("LoadDemo with a fault = %v", err)
	}
	if mid := tableCounts(t, db); mid["borrowers"] != "100" {
		t.Fatalf("the fault came after %s borrowers, want 100", mid["borrowers"])
	}
	if len(anchors) != 1 {
		t.Fatalf("the anchor moved during the demo: %+v", anchors)
	}
	if err := svc.AbortDemo(cwCtx); err != nil {
		t.Fatal(err)
	}
	if after := tableCounts(t, db); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("after taking the demo back:\n got %v\nwant %v", after, before)
	}
	wantVerified(t, svc, anchors)
	if err := svc.AbortDemo(cwCtx); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("AbortDemo with no demo = %v, want NotFound", err)
	}

	// A demo that crashed halfway (nothing taken back): the next one takes
	// it back first, then loads everything.
	if err := svc.BeginDemo(cwCtx); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.LoadDemo(cwCtx, opts, nil); !errors.Is(err, fault) {
		t.Fatalf("LoadDemo with a fault = %v", err)
	}
	if err := svc.BeginDemo(cwCtx); err != nil {
		t.Fatal(err)
	}
	if got := tableCounts(t, db); fmt.Sprint(got) != fmt.Sprint(before) {
		t.Fatalf("the crashed demo was not taken back:\n got %v\nwant %v", got, before)
	}
	opts.Fault = func(int) error { anchor(); return nil }
	res, err := svc.LoadDemo(cwCtx, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateUser(cwCtx, System("demo"), auth.User{Username: "collector", Roles: []auth.Role{auth.Collector}}, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.LoadDemoCasework(cwCtx); err != nil {
		t.Fatal(err)
	}
	anchor()
	if len(anchors) != 1 {
		t.Fatalf("the anchor moved before the demo finished: %+v", anchors)
	}
	if err := svc.EndDemo(cwCtx); err != nil {
		t.Fatal(err)
	}
	anchor() // the anchor written last, once the demo is kept
	got := tableCounts(t, db)
	if got["borrowers"] != "200" || got["loans"] != fmt.Sprint(res.Loans) || res.Borrowers != 200 || got["teams"] == "0" {
		t.Errorf("after the full demo: %v (result %+v)", got, res)
	}
	if seq, _, _ := svc.AuditHead(cwCtx); len(anchors) != 2 || anchors[1].Seq != seq {
		t.Errorf("anchors %+v, want the head before the demo and the head %d after it", anchors, seq)
	}
	wantVerified(t, svc, anchors)
	if err := svc.BeginDemo(cwCtx); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("a second demo over the first = %v, want Conflict", err)
	}
}

func wantVerified(t *testing.T, svc *Service, anchors []audit.Anchor) {
	t.Helper()
	chk, err := svc.VerifyAuditAnchored(cwCtx, anchors)
	if err != nil || !chk.OK || !chk.Keyed {
		t.Fatalf("audit verify: %+v, %v", chk, err)
	}
}
