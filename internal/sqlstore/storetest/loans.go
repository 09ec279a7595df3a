package storetest

import (
	"testing"

	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/sqlstore"
)

// mustBorrower creates borrower n and returns its id.
func mustBorrower(t *testing.T, db *sqlstore.DB, n int) int64 {
	t.Helper()
	b := newBorrower(n)
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateBorrower(ctx, &b) })
	return b.ID
}

// mustLoan creates loan n of borrower bid with a 12-month schedule from
// first and returns it.
func mustLoan(t *testing.T, db *sqlstore.DB, bid int64, n int, first date.Date) ledger.Loan {
	t.Helper()
	l := newLoan(bid, n)
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.CreateLoan(ctx, &l); err != nil {
			return err
		}
		return tx.ReplaceSchedule(ctx, l.ID, schedule(12, first))
	})
	return l
}

func testProducts(t *testing.T, db *sqlstore.DB) {
	p := ledger.Product{Code: "CASH12", Name: "现金贷 12 期", Method: ledger.EqualInstallment,
		AnnualRate: decimal.MustParse("0.1560"), TermMonths: 12, PenaltyRateDaily: decimal.MustParse("0.0005"), LateFee: money.Yuan(50)}
	write(t, db, func(tx *sqlstore.Tx) error {
		changed, err := tx.UpsertProduct(ctx, &p)
		if !changed || p.ID == 0 {
			t.Errorf("first UpsertProduct = %v, id %d", changed, p.ID)
		}
		if err != nil {
			return err
		}
		again := p
		again.ID = 0
		again.AnnualRate = decimal.MustParse("0.156") // equal value, other scale
		if changed, err := tx.UpsertProduct(ctx, &again); changed || err != nil || again.ID != p.ID {
			t.Errorf("repeat UpsertProduct = %v, %v, id %d", changed, err, again.ID)
		}
		p.TermMonths = 24
		if changed, err := tx.UpsertProduct(ctx, &p); !changed || err != nil {
			t.Errorf("changed UpsertProduct = %v, %v", changed, err)
		}
		other := ledger.Product{Code: "BIZ36", Name: "经营贷", Method: ledger.InterestFirst,
			AnnualRate: decimal.MustParse("0.0720"), TermMonths: 36, PenaltyRateDaily: decimal.MustParse("0.0003")}
		_, err = tx.UpsertProduct(ctx, &other)
		return err
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.ProductByCode(ctx, "CASH12")
		if err != nil {
			return err
		}
		if d := diff(p, got); d != "" {
			t.Errorf("ProductByCode (-want +got):\n%s", d)
		}
		if got.AnnualRate.String() != "0.1560" && got.AnnualRate.String() != "0.156" {
			t.Errorf("annual rate = %s", got.AnnualRate)
		}
		byID, err := tx.Product(ctx, p.ID)
		if err != nil || byID.Code != "CASH12" {
			t.Errorf("Product = %+v, %v", byID, err)
		}
		list, err := tx.Products(ctx)
		if err != nil || len(list) != 2 || list[0].Code != "BIZ36" {
			t.Errorf("Products = %+v, %v", list, err)
		}
		_, err = tx.ProductByCode(ctx, "NOPE")
		wantCode(t, err, errs.NotFound)
		_, err = tx.Product(ctx, 999)
		wantCode(t, err, errs.NotFound)
		return nil
	})
}

func testLoans(t *testing.T, db *sqlstore.DB) {
	bid := mustBorrower(t, db, 1)
	l := newLoan(bid, 1)
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateLoan(ctx, &l) })
	if l.ID == 0 || l.Status != ledger.Active {
		t.Fatalf("CreateLoan: id %d, status %q", l.ID, l.Status)
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Loan(ctx, l.ID)
		if err != nil {
			return err
		}
		if d := diff(l, got); d != "" {
			t.Errorf("Loan (-want +got):\n%s", d)
		}
		byExt, err := tx.LoanByExternalID(ctx, l.ExternalID)
		if err != nil || byExt.ID != l.ID {
			t.Errorf("LoanByExternalID = %d, %v", byExt.ID, err)
		}
		_, err = tx.Loan(ctx, 999)
		wantCode(t, err, errs.NotFound)
		_, err = tx.LoanByExternalID(ctx, "nope")
		wantCode(t, err, errs.NotFound)
		return nil
	})
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
		dup := newLoan(bid, 1)
		return tx.CreateLoan(ctx, &dup)
	})
	wantCode(t, err, errs.Conflict)
	err = db.InTx(ctx, func(tx *sqlstore.Tx) error {
		orphan := newLoan(9999, 2)
		return tx.CreateLoan(ctx, &orphan)
	})
	wantCode(t, err, errs.Invalid)

	write(t, db, func(tx *sqlstore.Tx) error {
		same := newLoan(bid, 1)
		if changed, err := tx.UpsertLoan(ctx, &same); changed || err != nil || same.ID != l.ID || same.Status != ledger.Active {
			t.Errorf("UpsertLoan(same) = %v, %v, %+v", changed, err, same)
		}
		more := newLoan(bid, 1)
		more.Principal = money.Yuan(20_000)
		if changed, err := tx.UpsertLoan(ctx, &more); !changed || err != nil {
			t.Errorf("UpsertLoan(changed) = %v, %v", changed, err)
		}
		fresh := newLoan(bid, 3)
		if changed, err := tx.UpsertLoan(ctx, &fresh); !changed || err != nil || fresh.ID == 0 {
			t.Errorf("UpsertLoan(new) = %v, %v", changed, err)
		}
		return tx.SetLoanStatus(ctx, l.ID, ledger.Delinquent)
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Loan(ctx, l.ID)
		if err != nil || got.Principal != money.Yuan(20_000) || got.Status != ledger.Delinquent {
			t.Errorf("after upsert and status: %+v, %v", got, err)
		}
		return nil
	})
	err = db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.SetLoanStatus(ctx, 999, ledger.Settled) })
	wantCode(t, err, errs.NotFound)
}

func testLoanFilter(t *testing.T, db *sqlstore.DB) {
	b1, b2 := mustBorrower(t, db, 1), mustBorrower(t, db, 2)
	first := date.MustParse("2026-02-15")
	l1 := mustLoan(t, db, b1, 1, first)
	l2 := mustLoan(t, db, b1, 2, first)
	l3 := mustLoan(t, db, b2, 3, first)
	asOf := date.MustParse("2026-04-01")
	write(t, db, func(tx *sqlstore.Tx) error {
		return tx.SavePositions(ctx, []sqlstore.PositionRow{
			{Position: ledger.Position{LoanID: l1.ID, AsOf: asOf, DPD: 45, NextDue: first}, BorrowerID: b1, Bucket: "M2", Status: ledger.Delinquent},
			{Position: ledger.Position{LoanID: l3.ID, AsOf: asOf, DPD: 5, NextDue: first.AddMonthsClamped(1)}, BorrowerID: b2, Bucket: "M1", Status: ledger.Delinquent},
		})
	})
	del := ledger.Delinquent
	tests := []struct {
		name      string
		f         sqlstore.LoanFilter
		want      []int64
		wantTotal int
	}{
		{"All", sqlstore.LoanFilter{}, []int64{l1.ID, l2.ID, l3.ID}, 3},
		{"Page", sqlstore.LoanFilter{Limit: 1, Offset: 1}, []int64{l2.ID}, 3},
		{"Borrower", sqlstore.LoanFilter{BorrowerID: &b1}, []int64{l1.ID, l2.ID}, 2},
		{"ExternalID", sqlstore.LoanFilter{ExternalID: ptr(l3.ExternalID)}, []int64{l3.ID}, 1},
		{"Status", sqlstore.LoanFilter{Status: &del}, []int64{l1.ID, l3.ID}, 2},
		{"MinDPD", sqlstore.LoanFilter{MinDPD: ptr(30)}, []int64{l1.ID}, 1},
		{"MaxDPDIncludesNeverAged", sqlstore.LoanFilter{MaxDPD: ptr(10)}, []int64{l2.ID, l3.ID}, 2},
		{"Bucket", sqlstore.LoanFilter{Bucket: ptr("M1")}, []int64{l3.ID}, 1},
		{"BorrowerAndBucket", sqlstore.LoanFilter{BorrowerID: &b1, Bucket: ptr("M1")}, nil, 0},
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		list, _, err := tx.Loans(ctx, sqlstore.LoanFilter{BorrowerID: &b1})
		if err != nil {
			return err
		}
		want := l1
		want.Status, want.UpdatedAt = ledger.Delinquent, list[0].Loan.UpdatedAt
		if d := diff(want, list[0].Loan); d != "" {
			t.Errorf("LoanRow.Loan (-want +got):\n%s", d)
		}
		if list[0].Bucket != "M2" || list[0].Position.DPD != 45 || list[0].Position.AsOf != asOf || list[0].Position.LoanID != l1.ID {
			t.Errorf("aged LoanRow = %+v", list[0])
		}
		if list[1].Bucket != "" || !list[1].Position.AsOf.IsZero() || list[1].Position.DPD != 0 {
			t.Errorf("never-aged LoanRow = %+v", list[1])
		}
		return nil
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			read(t, db, func(tx *sqlstore.Tx) error {
				list, total, err := tx.Loans(ctx, tt.f)
				var ids []int64
				for _, l := range list {
					ids = append(ids, l.Loan.ID)
				}
				if d := diff(tt.want, ids); d != "" || total != tt.wantTotal {
					t.Errorf("Loans() = %v (total %d), want %v (total %d)", ids, total, tt.want, tt.wantTotal)
				}
				return err
			})
		})
	}
}
