package demo

import (
	"testing"

	"accord/internal/ledger"
)

// TestGenerate_Portfolio checks the shape of a 20,000-borrower book on the
// as-of date, replayed with the default policy. The delinquency rate is
// defined over open loans (not paid off on the as-of date, so still in the
// book a collector works): the share of them with DPD > 0.
func TestGenerate_Portfolio(t *testing.T) {
	t.Parallel()
	n := 20_000
	if testing.Short() {
		n = 2_000
	}
	var (
		stats            Stats
		open, delinquent int
		buckets          = map[string]int{}
		window           = asOf.AddMonthsClamped(-36)
	)
	for _, b := range generate(t, Config{Borrowers: n, Seed: 2026, AsOf: asOf}) {
		stats.Add(b)
		for _, l := range b.Loans {
			if l.Loan.DisbursedOn.Before(window) || l.Loan.DisbursedOn.After(asOf) {
				t.Errorf("loan %s disbursed on %s, outside the 36 months before %s", l.Loan.ExternalID, l.Loan.DisbursedOn, asOf)
			}
			checkPayments(t, l)
			pos, _ := ledger.Replay(l.Loan, l.Schedule, l.Payments, ledger.DefaultPolicy(), asOf)
			if got := ledger.StatusFor(l.Loan, pos); got != l.Loan.Status {
				t.Errorf("loan %s has status %s, replay says %s", l.Loan.ExternalID, l.Loan.Status, got)
			}
			if l.Loan.Status == ledger.PaidOff {
				continue
			}
			open++
			if pos.DPD > 0 {
				delinquent++
				buckets[bucket(pos.DPD)]++
			}
		}
	}
	share := float64(delinquent) / float64(open)
	t.Logf("%d loans, %d open, %d delinquent (%.1f%% of open), buckets %v, behaviours %v",
		stats.Loans, open, delinquent, 100*share, buckets, stats.Behaviours)
	if share < 0.10 || share > 0.20 {
		t.Errorf("%.1f%% of open loans are delinquent, want 10–20%%", 100*share)
	}
	for _, name := range []string{"M1", "M2", "M3", "M4", "M5", "M6", "M7+"} {
		if buckets[name] == 0 {
			t.Errorf("bucket %s is empty", name)
		}
	}
	if stats.Statuses[ledger.PaidOff] == 0 || stats.Statuses[ledger.Active] == 0 {
		t.Errorf("statuses %v, want paid-off and active loans", stats.Statuses)
	}
	for _, k := range Kinds() {
		if stats.Behaviours[k] == 0 {
			t.Errorf("no %s borrowers", k)
		}
	}
}

// checkPayments checks that l's payments are positive, none after the as-of
// date or before disbursement, in (PaidOn, ID) order, on known channels and
// received on their PaidOn day in Beijing or Ürümqi time.
func checkPayments(t *testing.T, l LoanHistory) {
	t.Helper()
	for i, p := range l.Payments {
		if p.Amount <= 0 || p.PaidOn.After(asOf) || p.PaidOn.Before(l.Loan.DisbursedOn) {
			t.Errorf("payment %s: %s on %s, want positive, between %s and %s", p.ExternalID, p.Amount, p.PaidOn, l.Loan.DisbursedOn, asOf)
		}
		if i > 0 && (p.PaidOn.Before(l.Payments[i-1].PaidOn) || p.ID <= l.Payments[i-1].ID) {
			t.Errorf("payment %s is out of order", p.ExternalID)
		}
		switch p.Channel {
		case "app", "bank_transfer", "withholding":
		default:
			t.Errorf("payment %s has channel %q", p.ExternalID, p.Channel)
		}
		if local := p.ReceivedAt.In(beijing); local.Format("2006-01-02") != p.PaidOn.String() {
			if local = p.ReceivedAt.In(urumqi); local.Format("2006-01-02") != p.PaidOn.String() {
				t.Errorf("payment %s paid on %s but received at %s", p.ExternalID, p.PaidOn, p.ReceivedAt)
			}
		}
	}
}
