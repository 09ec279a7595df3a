package storetest

import (
	"testing"
	"time"

	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/sqlstore"
)

// RunPortal runs the contract tests of the borrower portal's and the
// payment gateway's tables (migration 00014) on the databases open returns.
func RunPortal(t *testing.T, open func(testing.TB) *sqlstore.DB) {
	tests := []struct {
		name string
		fn   func(*testing.T, *sqlstore.DB)
	}{
		{"PortalChallenges", testPortalChallenges},
		{"PortalSessions", testPortalSessions},
		{"PortalRequests", testPortalRequests},
		{"PaymentOrders", testPaymentOrders},
		{"GatewayCallbacks", testGatewayCallbacks},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

// portalRefused runs fn in a transaction of its own (PostgreSQL aborts a
// transaction on a constraint violation) and checks its error's code.
func portalRefused(t *testing.T, db *sqlstore.DB, code errs.Code, fn func(*sqlstore.Tx) error) {
	t.Helper()
	wantCode(t, db.InTx(ctx, fn), code)
}

func testPortalChallenges(t *testing.T, db *sqlstore.DB) {
	c := sqlstore.PortalChallenge{BorrowerID: 7, LoanID: 9, PhoneHash: "ph1", Addr: "10.0.0.1", CodeHash: "h", CodeSalt: "s",
		Status: sqlstore.ChallengeOpen, CreatedAt: t0, ExpiresAt: t0.Add(5 * time.Minute)}
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.CreatePortalChallenge(ctx, &c); err != nil {
			return err
		}
		for i, addr := range []string{"10.0.0.1", "10.0.0.2"} {
			o := sqlstore.PortalChallenge{PhoneHash: "ph2", Addr: addr, Status: sqlstore.ChallengeUnmatched,
				CreatedAt: t0.Add(time.Duration(i+1) * time.Minute), ExpiresAt: t0.Add(10 * time.Minute)}
			if err := tx.CreatePortalChallenge(ctx, &o); err != nil {
				return err
			}
		}
		c.Attempts, c.Status, c.MessageID = 2, sqlstore.ChallengeLocked, 44
		return tx.UpdatePortalChallenge(ctx, c)
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.PortalChallenge(ctx, c.ID)
		if err != nil {
			return err
		}
		if d := diff(c, got); d != "" {
			t.Errorf("PortalChallenge mismatch (-want +got):\n%s", d)
		}
		_, err = tx.PortalChallenge(ctx, c.ID+100)
		wantCode(t, err, errs.NotFound)
		for _, tc := range []struct {
			phone, addr string
			since       time.Time
			want        int
		}{
			{"ph1", "", t0.Add(-time.Second), 1},
			{"ph2", "", t0.Add(-time.Second), 2},
			{"ph2", "", t0.Add(90 * time.Second), 1}, // only the later one
			{"", "10.0.0.1", t0.Add(-time.Second), 2},
			{"", "10.0.0.2", t0.Add(-time.Second), 1},
			{"", "10.9.9.9", t0.Add(-time.Second), 0},
		} {
			n, err := tx.CountPortalChallenges(ctx, tc.phone, tc.addr, tc.since)
			if err != nil {
				return err
			}
			if n != tc.want {
				t.Errorf("CountPortalChallenges(%q, %q, %v) = %d, want %d", tc.phone, tc.addr, tc.since, n, tc.want)
			}
		}
		return nil
	})
	write(t, db, func(tx *sqlstore.Tx) error {
		err := tx.UpdatePortalChallenge(ctx, sqlstore.PortalChallenge{ID: c.ID + 100, Status: sqlstore.ChallengeUsed})
		wantCode(t, err, errs.NotFound)
		return nil
	})
	portalRefused(t, db, errs.Invalid, func(tx *sqlstore.Tx) error {
		bad := sqlstore.PortalChallenge{PhoneHash: "x", Status: "bogus", CreatedAt: t0, ExpiresAt: t0}
		return tx.CreatePortalChallenge(ctx, &bad)
	})
}

func testPortalSessions(t *testing.T, db *sqlstore.DB) {
	s := sqlstore.PortalSession{Hash: "abc", BorrowerID: 7, LoanID: 9, ChallengeID: 3, CSRFToken: "csrf", Addr: "10.0.0.1",
		CreatedAt: t0, LastSeenAt: t0, ExpiresAt: t0.Add(time.Hour)}
	old := sqlstore.PortalSession{Hash: "old", BorrowerID: 8, LoanID: 10, CSRFToken: "c2", CreatedAt: t0.Add(-2 * time.Hour),
		LastSeenAt: t0.Add(-2 * time.Hour), ExpiresAt: t0.Add(-time.Hour)}
	idle := sqlstore.PortalSession{Hash: "idle", BorrowerID: 8, LoanID: 10, CSRFToken: "c3", CreatedAt: t0.Add(-30 * time.Minute),
		LastSeenAt: t0.Add(-20 * time.Minute), ExpiresAt: t0.Add(time.Hour)}
	write(t, db, func(tx *sqlstore.Tx) error {
		for _, x := range []*sqlstore.PortalSession{&s, &old, &idle} {
			if err := tx.CreatePortalSession(ctx, x); err != nil {
				return err
			}
		}
		return nil
	})
	portalRefused(t, db, errs.Conflict, func(tx *sqlstore.Tx) error {
		dup := s
		return tx.CreatePortalSession(ctx, &dup)
	})
	write(t, db, func(tx *sqlstore.Tx) error {
		s.LastSeenAt = t0.Add(time.Minute)
		if err := tx.TouchPortalSession(ctx, s.ID, s.LastSeenAt); err != nil {
			return err
		}
		wantCode(t, tx.TouchPortalSession(ctx, s.ID+100, t0), errs.NotFound)
		n, err := tx.DeleteExpiredPortalSessions(ctx, t0, t0.Add(-15*time.Minute))
		if err != nil {
			return err
		}
		if n != 2 {
			t.Errorf("DeleteExpiredPortalSessions removed %d, want 2 (expired and idle)", n)
		}
		return nil
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.PortalSession(ctx, "abc")
		if err != nil {
			return err
		}
		if d := diff(s, got); d != "" {
			t.Errorf("PortalSession mismatch (-want +got):\n%s", d)
		}
		_, err = tx.PortalSession(ctx, "old")
		wantCode(t, err, errs.NotFound)
		return nil
	})
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.DeletePortalSession(ctx, "abc"); err != nil {
			return err
		}
		return tx.DeletePortalSession(ctx, "abc") // already gone: not an error
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		_, err := tx.PortalSession(ctx, "abc")
		wantCode(t, err, errs.NotFound)
		return nil
	})
}

func testPortalRequests(t *testing.T, db *sqlstore.DB) {
	a := sqlstore.PortalRequest{BorrowerID: 7, CaseID: 3, LoanID: 9, Kind: "dispute", Channel: "portal", Note: "金额不对",
		FlagsAdded: []string{"disputed", "dispute_written"}, CreatedAt: t0}
	b := sqlstore.PortalRequest{BorrowerID: 7, Kind: "stop_contact", Channel: "bot", CreatedAt: t0.Add(time.Minute)}
	write(t, db, func(tx *sqlstore.Tx) error {
		for _, r := range []*sqlstore.PortalRequest{&a, &b} {
			if err := tx.CreatePortalRequest(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	portalRefused(t, db, errs.Invalid, func(tx *sqlstore.Tx) error {
		bad := sqlstore.PortalRequest{BorrowerID: 7, Kind: "bogus", CreatedAt: t0}
		return tx.CreatePortalRequest(ctx, &bad)
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.PortalRequests(ctx, 7)
		if err != nil {
			return err
		}
		b.FlagsAdded = []string{} // stored as []
		if d := diff([]sqlstore.PortalRequest{b, a}, got); d != "" {
			t.Errorf("PortalRequests mismatch (-want +got):\n%s", d)
		}
		none, err := tx.PortalRequests(ctx, 8)
		if len(none) != 0 {
			t.Errorf("PortalRequests(8) = %v", none)
		}
		return err
	})
}

func testPaymentOrders(t *testing.T, db *sqlstore.DB) {
	o := sqlstore.PaymentOrder{OrderID: "AC1", BorrowerID: 7, LoanID: 9, Amount: money.Yuan(500), CreatedAt: t0,
		ExpiresAt: t0.Add(30 * time.Minute)}
	o2 := sqlstore.PaymentOrder{OrderID: "AC2", BorrowerID: 7, LoanID: 9, Amount: 1, CreatedAt: t0, ExpiresAt: t0}
	write(t, db, func(tx *sqlstore.Tx) error {
		for _, x := range []*sqlstore.PaymentOrder{&o, &o2} {
			if err := tx.CreatePaymentOrder(ctx, x); err != nil {
				return err
			}
		}
		return tx.SetPaymentOrderGateway(ctx, "AC1", "GW1", "http://gw/pay/GW1")
	})
	portalRefused(t, db, errs.Conflict, func(tx *sqlstore.Tx) error {
		dup := o
		return tx.CreatePaymentOrder(ctx, &dup)
	})
	portalRefused(t, db, errs.Invalid, func(tx *sqlstore.Tx) error {
		zero := sqlstore.PaymentOrder{OrderID: "AC0", BorrowerID: 7, LoanID: 9, CreatedAt: t0, ExpiresAt: t0}
		return tx.CreatePaymentOrder(ctx, &zero)
	})
	write(t, db, func(tx *sqlstore.Tx) error {
		changed, err := tx.MarkPaymentOrderPaid(ctx, "AC1", "T1", 55, t0.Add(time.Minute))
		if err != nil || !changed {
			t.Errorf("MarkPaymentOrderPaid = %v, %v; want true", changed, err)
		}
		changed, err = tx.MarkPaymentOrderPaid(ctx, "AC1", "T1", 55, t0.Add(2*time.Minute))
		if err != nil || changed {
			t.Errorf("MarkPaymentOrderPaid again = %v, %v; want false", changed, err)
		}
		return tx.MarkPaymentOrderFailed(ctx, "AC1") // a paid order stays paid
	})
	portalRefused(t, db, errs.Conflict, func(tx *sqlstore.Tx) error { // one transaction id, one order
		_, err := tx.MarkPaymentOrderPaid(ctx, "AC2", "T1", 56, t0)
		return err
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.PaymentOrder(ctx, "AC1")
		if err != nil {
			return err
		}
		o.Status, o.GatewayNo, o.PayURL, o.TxnID, o.PaymentID, o.PaidAt = "paid", "GW1", "http://gw/pay/GW1", "T1", 55, t0.Add(time.Minute)
		if d := diff(o, got); d != "" {
			t.Errorf("PaymentOrder mismatch (-want +got):\n%s", d)
		}
		list, err := tx.PaymentOrders(ctx, 7)
		if err != nil {
			return err
		}
		if len(list) != 2 || list[0].OrderID != "AC2" || list[0].Status != "created" {
			t.Errorf("PaymentOrders = %+v", list)
		}
		_, err = tx.PaymentOrder(ctx, "nope")
		wantCode(t, err, errs.NotFound)
		return nil
	})
	write(t, db, func(tx *sqlstore.Tx) error { return tx.MarkPaymentOrderFailed(ctx, "AC2") })
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.PaymentOrder(ctx, "AC2")
		if got.Status != "failed" || got.TxnID != "" {
			t.Errorf("AC2 = %+v, want failed without a transaction", got)
		}
		return err
	})
}

func testGatewayCallbacks(t *testing.T, db *sqlstore.DB) {
	c := sqlstore.GatewayCallback{Nonce: "n1", OrderID: "AC1", TxnID: "T1", Amount: 500_00, Outcome: "accepted", ReceivedAt: t0}
	write(t, db, func(tx *sqlstore.Tx) error {
		fresh, err := tx.AddGatewayCallback(ctx, &c)
		if err != nil || !fresh || c.ID == 0 {
			t.Errorf("AddGatewayCallback = %v, %v, id %d; want stored", fresh, err, c.ID)
		}
		again := sqlstore.GatewayCallback{Nonce: "n1", OrderID: "AC1", TxnID: "T1", Amount: 500_00, Outcome: "accepted", ReceivedAt: t0}
		fresh, err = tx.AddGatewayCallback(ctx, &again)
		if err != nil || fresh {
			t.Errorf("AddGatewayCallback with a used nonce = %v, %v; want a replay (false)", fresh, err)
		}
		other := sqlstore.GatewayCallback{Nonce: "n2", OrderID: "AC1", TxnID: "T1", Amount: 1, Outcome: "refused",
			Reason: "amount", ReceivedAt: t0.Add(time.Second)}
		if _, err := tx.AddGatewayCallback(ctx, &other); err != nil {
			return err
		}
		wantCode(t, tx.SetGatewayCallbackOutcome(ctx, c.ID+100, "posted", ""), errs.NotFound)
		return tx.SetGatewayCallbackOutcome(ctx, c.ID, "posted", "")
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		list, err := tx.GatewayCallbacks(ctx, "AC1")
		if err != nil {
			return err
		}
		c.Outcome = "posted"
		if len(list) != 2 {
			t.Fatalf("GatewayCallbacks = %+v", list)
		}
		if d := diff(c, list[0]); d != "" {
			t.Errorf("GatewayCallbacks[0] mismatch (-want +got):\n%s", d)
		}
		if list[1].Outcome != "refused" || list[1].Reason != "amount" {
			t.Errorf("GatewayCallbacks[1] = %+v", list[1])
		}
		return nil
	})
}
