package fieldwork_test

import (
	"testing"

	"github.com/govalues/decimal"

	"accord/internal/fieldwork"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/visit"
)

// TestReport_RegionAndComparison: a visit made and a payment 3 days later
// count in the report per pair and per region (made, cost, recovered,
// outcomes), a payment after the 30 days does not, and the comparison
// sets the visited case against the unvisited cases of its bucket, tier
// and segment.
func TestReport_RegionAndComparison(t *testing.T) {
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 400)
		cs := e.eligibleCases(t, 1)
		day := start.AddDays(2)
		e.at(day, "10:00")
		var loanID int64
		var base sqlstore.FieldPair
		e.read(t, func(tx *sqlstore.Tx) error {
			b, err := tx.Borrower(ctx, cs[0].BorrowerID)
			if err != nil {
				return err
			}
			base = sqlstore.FieldPair{BaseLat: b.Addresses[0].Lat, BaseLon: b.Addresses[0].Lon}
			loans, _, err := tx.Loans(ctx, sqlstore.LoanFilter{BorrowerID: &b.ID})
			if err == nil && len(loans) > 0 {
				loanID = loans[0].Loan.ID
			}
			return err
		})
		pr, err := e.fw.SavePair(ctx, e.as("supervisor"), sqlstore.FieldPair{Name: "一组", Agent1: "fa1", Agent2: "fa2", BaseLat: base.BaseLat,
			BaseLon: base.BaseLon, DayFrom: "08:00", DayUntil: "20:00", SpeedKmh: 30, Capacity: 4, RecordingDevice: "REC-3", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		v := plannedToday(t, e, cs[0], pr)
		if _, err := e.fw.CheckIn(ctx, e.as("fa1"), v.ID, fieldwork.CheckInRequest{Lat: v.Lat, Lon: v.Lon, Partner: "fa2", RecordingDevice: "REC-3"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.fw.RecordOutcome(ctx, e.as("fa1"), v.ID, fieldwork.NewOutcome{Kind: visit.MetBorrower, Note: "借款人同意本周还款"}); err != nil {
			t.Fatal(err)
		}
		for _, p := range []struct {
			ext string
			on  int
			amt int64
		}{{"VIS-PAY-1", 3, 50_000}, {"VIS-PAY-2", 31, 70_000}} {
			e.at(day.AddDays(p.on), "11:00")
			if _, _, err := e.svc.RecordPayment(ctx, e.as("admin"), ledger.Payment{ExternalID: p.ext, LoanID: loanID,
				Amount: money.Amount(p.amt), PaidOn: day.AddDays(p.on), Channel: "app"}); err != nil {
				t.Fatalf("RecordPayment(%s): %v", p.ext, err)
			}
		}
		rep, err := e.fw.Report(ctx, e.as("supervisor"), day, day)
		if err != nil {
			t.Fatal(err)
		}
		for name, rows := range map[string][]fieldwork.ReportRow{"pair": rep.ByPair, "region": rep.ByRegion} {
			if len(rows) != 1 || rows[0].Made != 1 || rows[0].Outcomes["met_borrower"] != 1 || rows[0].Recovered != 50_000 ||
				rows[0].Cost != money.Amount(v.CostMinor) || rows[0].CostPerVisit != money.Amount(v.CostMinor) {
				t.Errorf("by %s = %+v; want one visit made, ¥500 recovered within 30 days, cost %d", name, rows, v.CostMinor)
			}
		}
		if rep.ByRegion[0].Key != v.Region {
			t.Errorf("region row %q, want %q", rep.ByRegion[0].Key, v.Region)
		}
		var c sqlstore.Case
		var others int
		e.read(t, func(tx *sqlstore.Tx) error {
			var err error
			if c, err = tx.Case(ctx, v.CaseID); err != nil {
				return err
			}
			return tx.Inspect(ctx, `SELECT COUNT(*) FROM cases WHERE bucket = ? AND tier = ? AND segment = ? AND id <> ?
				AND opened_on <= ? AND (closed_on IS NULL OR closed_on >= ?)`, c.Bucket, string(c.Tier), string(c.Segment), c.ID, day, day).Scan(&others)
		})
		want, _ := decimal.New(50_000, 0)
		owed, _ := decimal.New(v.OverdueMinor, 0)
		want, _ = want.Quo(owed)
		if len(rep.Comparison) != 1 {
			t.Fatalf("comparison = %+v; want the visited case's group only", rep.Comparison)
		}
		got := rep.Comparison[0]
		if got.Bucket != c.Bucket || got.Tier != string(c.Tier) || got.Segment != string(c.Segment) || got.Visited != 1 ||
			got.VisitedRate.Cmp(want.Round(4)) != 0 || got.Unvisited != others {
			t.Errorf("comparison = %+v; want %s/%s/%s, 1 visited at %s, %d unvisited", got, c.Bucket, c.Tier, c.Segment, want.Round(4), others)
		}
	})
}
