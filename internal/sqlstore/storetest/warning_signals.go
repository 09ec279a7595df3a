package storetest

import (
	"testing"
	"time"

	"accord/internal/borrower"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/features"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/plan"
	"accord/internal/sqlstore"
)

// RunWarningSignals is the contract test of the early-warning facts:
// payment attempts (stored, found by reference, a second one with the same
// reference a Conflict), phone changes recorded when a borrower's numbers
// change (not when only their kind does), WarningSignals and
// WarningCandidates by day, and ScoringPlanTerms.
func RunWarningSignals(t *testing.T, open func(testing.TB) *sqlstore.DB) {
	db := open(t)
	zone := time.UTC
	day := date.MustParse("2026-03-20")
	db.Now = func() time.Time { return day.Time().Add(3 * time.Hour) }
	b1, b2 := mustBorrower(t, db, 1), mustBorrower(t, db, 2)
	l1 := mustLoan(t, db, b1, 1, date.MustParse("2026-01-15"))
	write(t, db, func(tx *sqlstore.Tx) error {
		a := ledger.PaymentAttempt{ExternalID: "DD-1", BorrowerID: b1, LoanID: l1.ID, AttemptedOn: day, Amount: money.Yuan(800),
			Channel: ledger.ChannelWithholding, Status: ledger.AttemptFailed, Reason: "余额不足"}
		if err := tx.CreatePaymentAttempt(ctx, &a); err != nil || a.ID == 0 {
			t.Fatalf("CreatePaymentAttempt = %v, id %d", err, a.ID)
		}
		return nil
	})
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
		again := ledger.PaymentAttempt{ExternalID: "DD-1", BorrowerID: b1, LoanID: l1.ID, AttemptedOn: day, Amount: money.Yuan(1),
			Channel: ledger.ChannelWithholding, Status: ledger.AttemptSucceeded}
		return tx.CreatePaymentAttempt(ctx, &again)
	})
	if errs.CodeOf(err) != errs.Conflict {
		t.Errorf("the same reference again: %v, want Conflict", err)
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.PaymentAttemptByExternalID(ctx, "DD-1")
		if err != nil || got.LoanID != l1.ID || got.AttemptedOn != day || got.Amount != money.Yuan(800) || got.Reason != "余额不足" {
			t.Errorf("PaymentAttemptByExternalID = %+v, %v", got, err)
		}
		if _, err := tx.PaymentAttemptByExternalID(ctx, "nope"); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("unknown reference: %v, want NotFound", err)
		}
		kindOnly := []borrower.Phone{{Number: "+8613800000001", Kind: "work"}} // borrower 1's number, another kind
		if _, err := tx.UpdateBorrower(ctx, b1, sqlstore.BorrowerUpdate{Phones: &kindOnly}); err != nil {
			return err
		}
		replaced := []borrower.Phone{{Number: "+8613912345678", Kind: "mobile"}}
		_, err = tx.UpdateBorrower(ctx, b2, sqlstore.BorrowerUpdate{Phones: &replaced})
		return err
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		sig, err := tx.WarningSignals(ctx, []int64{b1, b2}, day.AddDays(-40), zone)
		if err != nil {
			return err
		}
		if a := sig[b1].Attempts; len(a) != 1 || !a[0].Failed || a[0].Channel != "withholding" || a[0].On != day {
			t.Errorf("attempts of borrower 1 = %+v", a)
		}
		if c := sig[b1].ContactChanges; len(c) != 0 {
			t.Errorf("a phone's kind changing recorded %+v", c)
		}
		if c := sig[b2].ContactChanges; len(c) != 1 || c[0].On != day || c[0].Added != 1 || c[0].Removed != 1 || c[0].Kind != "phone" {
			t.Errorf("contact changes of borrower 2 = %+v", c)
		}
		if later, err := tx.WarningSignals(ctx, []int64{b1, b2}, day.AddDays(1), zone); err != nil ||
			len(later[b1].Attempts)+len(later[b2].ContactChanges) != 0 {
			t.Errorf("signals since the next day = %+v, %+v (%v), want none", later[b1], later[b2], err)
		}
		ids, err := tx.WarningCandidates(ctx, day, day.In(zone), day.AddDays(1).In(zone))
		if err != nil || len(ids) != 2 || ids[0] != min(b1, b2) {
			t.Errorf("WarningCandidates(%s) = %v, %v; want both borrowers", day, ids, err)
		}
		if ids, err := tx.WarningCandidates(ctx, day.AddDays(1), day.AddDays(1).In(zone), day.AddDays(2).In(zone)); err != nil || len(ids) != 0 {
			t.Errorf("WarningCandidates of the next day = %v, %v; want none", ids, err)
		}
		return nil
	})
	due := day.AddDays(-features.PlanLateDays)
	write(t, db, func(tx *sqlstore.Tx) error {
		p := sqlstore.PlanRow{Plan: plan.Plan{BorrowerID: b2, AgreementID: 1, Start: due.AddDays(-30), Financed: money.Yuan(900),
			Schedule: []plan.Instalment{{Seq: 1, Due: due, Amount: money.Yuan(300)}, {Seq: 2, Due: due.AddMonthsClamped(1), Amount: money.Yuan(600)}}}}
		if err := tx.CreatePlan(ctx, &p); err != nil {
			return err
		}
		return tx.UpdatePlan(ctx, p.ID, sqlstore.PlanUpdate{Status: plan.Broken, BrokenOn: day})
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		terms, err := tx.ScoringPlanTerms(ctx, []int64{b1, b2})
		if err != nil {
			return err
		}
		if got := terms[b2]; len(got) != 1 || got[0].Start != due.AddDays(-30) || got[0].MaxPayment != money.Yuan(600) || got[0].BrokenOn != day {
			t.Errorf("ScoringPlanTerms = %+v", got)
		}
		if len(terms[b1]) != 0 {
			t.Errorf("borrower 1 has plan terms %+v", terms[b1])
		}
		if running, err := tx.RunningPlansOf(ctx, []int64{b2}); err != nil || len(running) != 0 {
			t.Errorf("RunningPlansOf a broken plan = %d plans, %v", len(running), err)
		}
		return nil
	})
}
