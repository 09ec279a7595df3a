package storetest

import (
	"testing"
	"time"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/offer"
	"accord/internal/plan"
	"accord/internal/sqlstore"
)

// RunPlan runs the contract tests of the plan and adjustment store methods.
func RunPlan(t *testing.T, open func(testing.TB) *sqlstore.DB) {
	tests := []struct {
		name string
		fn   func(*testing.T, *sqlstore.DB)
	}{
		{"Plans", testPlans},
		{"PlanPaymentsAndAging", testPlanPaymentsAndAging},
		{"PlanEventsAndAdjustments", testPlanEventsAndAdjustments},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

func newPlanRow(borrowerID, agreementID int64, loans ...int64) sqlstore.PlanRow {
	start := date.MustParse("2026-04-01")
	return sqlstore.PlanRow{
		Plan: plan.Plan{AgreementID: agreementID, BorrowerID: borrowerID, CaseID: 7, LoanIDs: loans, Start: start,
			Schedule: []plan.Instalment{{Seq: 1, Due: start.AddMonthsClamped(1), Amount: 1200_00},
				{Seq: 2, Due: start.AddMonthsClamped(2), Amount: 1200_00}, {Seq: 3, Due: start.AddMonthsClamped(3), Amount: 1200_01}},
			Financed: 3600_01, Waived: offer.Components{Penalty: 80_00, Fees: 50_00},
			Conditional: []offer.Waiver{{Amount: offer.Components{Penalty: 120_00}, Condition: &offer.Condition{OnTimePayments: 2}}},
			PreDPD:      61, Rules: plan.Rules{GraceDays: 5}},
		OfferID: "waiver-after2-250.00-3m", OfferKind: offer.KindWaiver, AfterPaymentID: 0, ActivatedBy: "lin",
		AcceptedAt: time.Date(2026, 4, 1, 3, 4, 5, 0, time.UTC),
	}
}

func testPlans(t *testing.T, db *sqlstore.DB) {
	bid := mustBorrower(t, db, 1)
	l1 := mustLoan(t, db, bid, 1, date.MustParse("2026-02-15"))
	l2 := mustLoan(t, db, bid, 2, date.MustParse("2026-02-15"))
	r := newPlanRow(bid, 501, l2.ID, l1.ID)
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreatePlan(ctx, &r) })
	if r.ID == 0 || r.Status != plan.Active || r.Rules.ResetAfter != plan.DefaultRules().ResetAfter || r.Rules.GraceDays != 5 {
		t.Fatalf("CreatePlan: %+v", r)
	}
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
		dup := newPlanRow(bid, 501, l1.ID)
		return tx.CreatePlan(ctx, &dup)
	})
	wantCode(t, err, errs.Conflict)
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Plan(ctx, r.ID)
		if err != nil {
			return err
		}
		want := r
		if d := diff(want, got); d != "" {
			t.Errorf("Plan (-want +got):\n%s", d)
		}
		for _, id := range []int64{l1.ID, l2.ID} {
			of, err := tx.PlanOfLoan(ctx, id)
			if err != nil || of.ID != r.ID {
				t.Errorf("PlanOfLoan(%d) = %d, %v", id, of.ID, err)
			}
		}
		_, err = tx.PlanOfLoan(ctx, 999)
		wantCode(t, err, errs.NotFound)
		_, err = tx.Plan(ctx, 999)
		wantCode(t, err, errs.NotFound)
		list, err := tx.PlansOfBorrower(ctx, bid)
		if err != nil || len(list) != 1 || list[0].LoanIDs[0] != l2.ID {
			t.Errorf("PlansOfBorrower = %+v, %v", list, err)
		}
		return nil
	})
	u := sqlstore.PlanUpdate{Status: plan.Broken, CheckedOn: date.MustParse("2026-05-10"), BrokenOn: date.MustParse("2026-05-07"),
		LastRevisitOn: date.MustParse("2026-07-01")}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.UpdatePlan(ctx, r.ID, u) })
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Plan(ctx, r.ID)
		if got.Status != u.Status || got.CheckedOn != u.CheckedOn || got.BrokenOn != u.BrokenOn || got.LastRevisitOn != u.LastRevisitOn || !got.CompletedOn.IsZero() {
			t.Errorf("after UpdatePlan: %+v", got)
		}
		return err
	})
	wantCode(t, db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.UpdatePlan(ctx, 999, u) }), errs.NotFound)

	// Chunks: open plans only, in id order, after the id given.
	r2 := newPlanRow(bid, 502, l1.ID)
	r3 := newPlanRow(bid, 503, l2.ID)
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.CreatePlan(ctx, &r2); err != nil {
			return err
		}
		if err := tx.CreatePlan(ctx, &r3); err != nil {
			return err
		}
		return tx.UpdatePlan(ctx, r2.ID, sqlstore.PlanUpdate{Status: plan.Completed, CompletedOn: date.MustParse("2026-07-01")})
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		c, err := tx.OpenPlansChunk(ctx, 0, 1)
		if err != nil || len(c) != 1 || c[0].ID != r.ID {
			t.Errorf("first chunk %v %v", c, err)
		}
		c, err = tx.OpenPlansChunk(ctx, r.ID, 10)
		if err != nil || len(c) != 1 || c[0].ID != r3.ID || len(c[0].Schedule) != 3 {
			t.Errorf("second chunk %+v %v", c, err)
		}
		of, err := tx.PlanOfLoan(ctx, l2.ID)
		if err != nil || of.ID != r3.ID {
			t.Errorf("PlanOfLoan latest = %d %v, want %d", of.ID, err, r3.ID)
		}
		return nil
	})
}

func testPlanPaymentsAndAging(t *testing.T, db *sqlstore.DB) {
	bid := mustBorrower(t, db, 1)
	l1 := mustLoan(t, db, bid, 1, date.MustParse("2026-02-15"))
	l2 := mustLoan(t, db, bid, 2, date.MustParse("2026-02-15"))
	before := ledger.Payment{LoanID: l1.ID, Amount: 300_00, PaidOn: date.MustParse("2026-03-20"), Channel: "app"}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreatePayment(ctx, &before) })
	asOf := date.MustParse("2026-04-20")
	if ids := agingIDs(t, db, asOf); len(ids) != 2 {
		t.Fatalf("aging before the plan = %v, want both loans", ids)
	}
	r := newPlanRow(bid, 601, l1.ID)
	r.AfterPaymentID = before.ID
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreatePlan(ctx, &r) })
	if ids := agingIDs(t, db, asOf); len(ids) != 1 || ids[0] != l2.ID {
		t.Errorf("aging with loan %d under a plan = %v, want [%d]", l1.ID, ids, l2.ID)
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		n, err := tx.CountAging(ctx, asOf)
		if n != 1 {
			t.Errorf("CountAging = %d, want 1", n)
		}
		return err
	})
	backdated := ledger.Payment{LoanID: l1.ID, Amount: 100_00, PaidOn: date.MustParse("2026-03-30"), Channel: "app"}
	onTime := ledger.Payment{LoanID: l1.ID, Amount: 1100_00, PaidOn: date.MustParse("2026-04-28"), Channel: "app"}
	bounced := ledger.Payment{LoanID: l1.ID, Amount: 5000_00, PaidOn: date.MustParse("2026-04-29"), Channel: "app"}
	other := ledger.Payment{LoanID: l2.ID, Amount: 10_00, PaidOn: date.MustParse("2026-04-29"), Channel: "app"}
	write(t, db, func(tx *sqlstore.Tx) error {
		for _, p := range []*ledger.Payment{&backdated, &onTime, &bounced, &other} {
			if err := tx.CreatePayment(ctx, p); err != nil {
				return err
			}
		}
		_, err := tx.ReversePayment(ctx, bounced.ID, "bounced", t0)
		return err
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.PlanPayments(ctx, []sqlstore.PlanRow{r})
		want := []plan.Payment{{ID: backdated.ID, On: r.Start, Amount: 100_00}, {ID: onTime.ID, On: onTime.PaidOn, Amount: 1100_00}}
		if d := diff(want, got[r.ID]); d != "" {
			t.Errorf("PlanPayments (-want +got):\n%s", d)
		}
		return err
	})
}

func testPlanEventsAndAdjustments(t *testing.T, db *sqlstore.DB) {
	bid := mustBorrower(t, db, 1)
	l1 := mustLoan(t, db, bid, 1, date.MustParse("2026-02-15"))
	r := newPlanRow(bid, 701, l1.ID)
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreatePlan(ctx, &r) })
	on := date.MustParse("2026-05-02")
	for i, want := range []bool{true, false} {
		write(t, db, func(tx *sqlstore.Tx) error {
			got, err := tx.MarkPlanEvent(ctx, r, "grace", "1", on)
			if got != want {
				t.Errorf("MarkPlanEvent #%d = %v, want %v", i+1, got, want)
			}
			return err
		})
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		_, err := tx.MarkPlanEvent(ctx, r, "grace", "2", on)
		return err
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		n, err := tx.PlanEventCount(ctx, r.ID, "grace")
		if n != 2 {
			t.Errorf("PlanEventCount = %d, want 2", n)
		}
		return err
	})
	a := sqlstore.Adjustment{BorrowerID: bid, LoanID: l1.ID, PlanID: r.ID, Kind: sqlstore.AdjustWaiver, On: r.Start,
		Amount: offer.Components{Penalty: 80_00, Fees: 50_00}, Note: "立即减免"}
	b := sqlstore.Adjustment{BorrowerID: bid, LoanID: l1.ID, PlanID: r.ID, Kind: sqlstore.AdjustWaiverConditional, On: on,
		Amount: offer.Components{Penalty: 120_00}}
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.CreateAdjustment(ctx, &a); err != nil {
			return err
		}
		return tx.CreateAdjustment(ctx, &b)
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Adjustments(ctx, l1.ID)
		if d := diff([]sqlstore.Adjustment{a, b}, got); d != "" {
			t.Errorf("Adjustments (-want +got):\n%s", d)
		}
		return err
	})
	wantCode(t, db.InTx(ctx, func(tx *sqlstore.Tx) error {
		bad := sqlstore.Adjustment{BorrowerID: bid, LoanID: l1.ID, Kind: "gift", On: on}
		return tx.CreateAdjustment(ctx, &bad)
	}), errs.Invalid)
}
