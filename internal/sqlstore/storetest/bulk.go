package storetest

import (
	"fmt"
	"testing"

	"accord/internal/borrower"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/sqlstore"
)

// Book is a generated loan book for bulk-load tests and benchmarks: one loan
// per borrower, twelve monthly installments from 2026-01-10, the first
// paymentsPerLoan of them paid on time, and every seventh loan delinquent.
type Book struct {
	Borrowers    []borrower.Borrower
	Loans        []sqlstore.BulkLoan
	Installments []sqlstore.InstallmentRow
	Payments     []ledger.Payment
	Contacts     []borrower.Contact
}

// NewBook returns a book of n loans with ids from firstID.
func NewBook(firstID int64, n, paymentsPerLoan int) Book {
	var bk Book
	first := date.MustParse("2026-01-10")
	for i := range n {
		id := firstID + int64(i)
		b := newBorrower(int(id))
		b.ID, b.ExternalID = id, fmt.Sprintf("BB-%d", id)
		bk.Borrowers = append(bk.Borrowers, b)
		bk.Contacts = append(bk.Contacts, borrower.Contact{ID: id, ExternalID: fmt.Sprintf("BC-%d", id), BorrowerID: id,
			Name: "联系人", Relationship: "parent", Phone: fmt.Sprintf("+86137%08d", id), ConsentBasis: "loan_application", ConsentAt: t0})
		l := newLoan(id, int(id))
		l.ID, l.ExternalID = id, fmt.Sprintf("BL-%d", id)
		sched := schedule(12, first)
		paid := paymentsPerLoan
		if id%7 == 0 {
			l.Status, paid = ledger.Delinquent, 0
		}
		bk.Loans = append(bk.Loans, sqlstore.BulkLoan{Loan: l, NextDue: sched[paid].DueDate})
		for _, in := range sched {
			bk.Installments = append(bk.Installments, sqlstore.InstallmentRow{LoanID: id, Installment: in})
		}
		for k := range paid {
			bk.Payments = append(bk.Payments, ledger.Payment{ID: id*100 + int64(k), LoanID: id, Amount: sched[k].Total(),
				PaidOn: sched[k].DueDate, Channel: "withholding", ReceivedAt: t0})
		}
	}
	return bk
}

// Insert bulk-inserts bk in one transaction.
func (bk Book) Insert(tb testing.TB, db *sqlstore.DB) {
	tb.Helper()
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := tx.BulkInsertBorrowers(ctx, bk.Borrowers); err != nil {
			return err
		}
		if err := tx.BulkInsertContacts(ctx, bk.Contacts); err != nil {
			return err
		}
		if err := tx.BulkInsertLoans(ctx, bk.Loans); err != nil {
			return err
		}
		if err := tx.BulkInsertInstallments(ctx, bk.Installments); err != nil {
			return err
		}
		return tx.BulkInsertPayments(ctx, bk.Payments)
	})
	if err != nil {
		tb.Fatal(err)
	}
}

func testBulkInsert(t *testing.T, db *sqlstore.DB) {
	bk := NewBook(1, 40, 2)
	bk.Insert(t, db)
	read(t, db, func(tx *sqlstore.Tx) error {
		b, err := tx.Borrower(ctx, 7)
		if err != nil {
			return err
		}
		want := bk.Borrowers[6]
		if d := diff(want, b); d != "" {
			t.Errorf("bulk borrower (-want +got):\n%s", d)
		}
		l, err := tx.Loan(ctx, 8)
		if d := diff(bk.Loans[7].Loan, l); d != "" || err != nil {
			t.Errorf("bulk loan %v (-want +got):\n%s", err, d)
		}
		sched, err := tx.Schedule(ctx, 8)
		if len(sched) != 12 || sched[11].DueDate.String() != "2026-12-10" || err != nil {
			t.Errorf("bulk schedule = %+v, %v", sched, err)
		}
		pays, err := tx.Payments(ctx, 8)
		if len(pays) != 2 || pays[1].ID != 801 || pays[1].Amount != sched[1].Total() || err != nil {
			t.Errorf("bulk payments = %+v, %v", pays, err)
		}
		var enc []byte
		if err := tx.Inspect(ctx, "SELECT national_id_enc FROM borrowers WHERE id = ?", 7).Scan(&enc); err != nil {
			return err
		}
		assertCiphertext(t, enc, want.NationalID)
		contacts, err := tx.ContactsByBorrower(ctx, 7)
		if err != nil {
			return err
		}
		if d := diff(bk.Contacts[6:7], contacts); d != "" {
			t.Errorf("bulk contacts (-want +got):\n%s", d)
		}
		list, total, err := tx.Borrowers(ctx, sqlstore.BorrowerFilter{Phone: ptr(want.Phones[0].Number)})
		if total != 1 || list[0].ID != 7 {
			t.Errorf("bulk borrower by phone = %d found", total)
		}
		return err
	})
	// Ids assigned after a bulk load do not collide with the loaded ones.
	write(t, db, func(tx *sqlstore.Tx) error {
		b := newBorrower(1000)
		if err := tx.CreateBorrower(ctx, &b); err != nil {
			return err
		}
		l := newLoan(b.ID, 1000)
		if err := tx.CreateLoan(ctx, &l); err != nil {
			return err
		}
		p := ledger.Payment{LoanID: l.ID, Amount: 1, PaidOn: date.MustParse("2026-05-01")}
		if err := tx.CreatePayment(ctx, &p); err != nil {
			return err
		}
		c := borrower.Contact{BorrowerID: b.ID, Name: "x", Relationship: "friend"}
		if err := tx.CreateContact(ctx, &c); err != nil {
			return err
		}
		if b.ID <= 40 || l.ID <= 40 || p.ID <= 4000 || c.ID <= 40 {
			t.Errorf("ids after bulk load: borrower %d, loan %d, payment %d, contact %d", b.ID, l.ID, p.ID, c.ID)
		}
		return nil
	})
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.BulkInsertLoans(ctx, bk.Loans[:1]) })
	wantCode(t, err, errs.Conflict)
	err = db.InTx(ctx, func(tx *sqlstore.Tx) error {
		return tx.BulkInsertBorrowers(ctx, []borrower.Borrower{newBorrower(5000)})
	})
	wantCode(t, err, errs.Invalid)
	err = db.InTx(ctx, func(tx *sqlstore.Tx) error {
		return tx.BulkInsertInstallments(ctx, []sqlstore.InstallmentRow{{LoanID: 9999, Installment: ledger.Installment{Seq: 1, DueDate: date.MustParse("2026-01-01")}}})
	})
	wantCode(t, err, errs.Invalid)
}

func testAgingChunk(t *testing.T, db *sqlstore.DB) {
	bk := NewBook(1, 30, 3) // loans 7, 14, 21, 28 delinquent; the others paid through 2026-03-10
	bk.Insert(t, db)
	// A paid-off loan is never selected.
	write(t, db, func(tx *sqlstore.Tx) error {
		return tx.SavePositions(ctx, []sqlstore.PositionRow{{Position: ledger.Position{LoanID: 2, AsOf: date.MustParse("2026-03-01")},
			BorrowerID: 2, Bucket: "C", Status: ledger.PaidOff}})
	})
	tests := []struct {
		name string
		asOf string
		want int
	}{
		{"OnlyDelinquentBeforeNextDue", "2026-04-10", 4}, // next_due 2026-04-10 is not before asOf
		{"AllButPaidOffAfterNextDue", "2026-04-11", 29},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids := agingIDs(t, db, date.MustParse(tt.asOf))
			if len(ids) != tt.want {
				t.Errorf("aging on %s selected %d loans %v, want %d", tt.asOf, len(ids), ids, tt.want)
			}
			for i := 1; i < len(ids); i++ {
				if ids[i] <= ids[i-1] {
					t.Errorf("aging ids out of order: %v", ids)
				}
			}
		})
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		chunk, err := tx.AgingChunk(ctx, date.MustParse("2026-04-10"), 7, 2)
		if err != nil {
			return err
		}
		if len(chunk) != 2 || chunk[0].Loan.ID != 14 || chunk[1].Loan.ID != 21 {
			t.Fatalf("chunk after 7 = %+v", chunk)
		}
		b := chunk[0]
		if len(b.Schedule) != 12 || b.Schedule[0].Seq != 1 || len(b.Payments) != 0 || b.Loan.Status != ledger.Delinquent ||
			b.NextDue.String() != "2026-01-10" || !b.PrevAsOf.IsZero() {
			t.Errorf("bundle 14 = %+v", b)
		}
		return nil
	})
	// Positions saved: the previous bucket comes back with the bundle.
	write(t, db, func(tx *sqlstore.Tx) error {
		return tx.SavePositions(ctx, []sqlstore.PositionRow{{Position: ledger.Position{LoanID: 3, AsOf: date.MustParse("2026-04-11"),
			DPD: 1, NextDue: date.MustParse("2026-04-10")}, BorrowerID: 3, Bucket: "M1", Status: ledger.Delinquent}})
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		chunk, err := tx.AgingChunk(ctx, date.MustParse("2026-04-12"), 2, 1)
		if err != nil {
			return err
		}
		b := chunk[0]
		if b.Loan.ID != 3 || b.PrevBucket != "M1" || b.PrevDPD != 1 || b.PrevAsOf.String() != "2026-04-11" || len(b.Payments) != 3 ||
			b.Payments[2].PaidOn.String() != "2026-03-10" {
			t.Errorf("bundle 3 = %+v", b)
		}
		return nil
	})
}
