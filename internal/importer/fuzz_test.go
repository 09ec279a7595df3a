package importer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"testing"

	"accord/internal/errs"
	"accord/internal/ledger"
)

func FuzzParseCSV(f *testing.F)   { fuzzParse(f, ".csv") }
func FuzzParseJSONL(f *testing.F) { fuzzParse(f, ".jsonl") }

// fuzzParse seeds the corpus with the examples in testdata and checks that
// Parse never panics and returns either an Invalid error and no batch, or a
// batch whose every row is valid, never both.
func fuzzParse(f *testing.F, ext string) {
	for i, k := range Kinds() {
		f.Add(uint8(i), mustRead(f, "testdata/"+string(k)+ext))
	}
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		k := Kinds()[int(kind)%len(Kinds())]
		b, err := Parse(k, "fuzz"+ext, bytes.NewReader(data))
		if err != nil {
			if errs.CodeOf(err) != errs.Invalid {
				t.Fatalf("error is not Invalid: %v", err)
			}
			if b.Kind != "" || b.Rows != 0 || b.SHA256 != "" || b.Borrowers != nil || b.Contacts != nil || b.Loans != nil || b.Payments != nil {
				t.Fatalf("both a batch and an error: %+v, %v", b, err)
			}
			return
		}
		sum := sha256.Sum256(data)
		if b.Kind != k || b.SHA256 != hex.EncodeToString(sum[:]) {
			t.Fatalf("Kind %q, SHA256 %s", b.Kind, b.SHA256)
		}
		rows := checkRows(t, b)
		if len(rows) != b.Rows || !slices.IsSorted(rows) || rows[0] < 1 {
			t.Fatalf("Rows = %d, row numbers %v", b.Rows, rows)
		}
	})
}

// checkRows fails t unless every row of b is valid, and returns their row
// numbers.
func checkRows(t *testing.T, b Batch) []int {
	t.Helper()
	var rows []int
	ok := func(row int, what string, err error) {
		rows = append(rows, row)
		if err != nil {
			t.Fatalf("row %d: %s: %v", row, what, err)
		}
	}
	for _, r := range b.Borrowers {
		ok(r.Row, "borrower", r.Borrower.Validate())
	}
	for _, r := range b.Contacts {
		ok(r.Row, "contact", r.Contact.Validate())
		if r.BorrowerExternalID == "" {
			t.Fatalf("row %d: no borrower_external_id", r.Row)
		}
	}
	for _, r := range b.Loans {
		ok(r.Row, "loan", r.Loan.Terms().Validate())
		if _, err := ledger.Schedule(r.Loan.Terms()); err != nil {
			t.Fatalf("row %d: schedule: %v", r.Row, err)
		}
		if r.BorrowerExternalID == "" || r.Loan.ExternalID == "" || r.Loan.ProductCode == "" || r.Loan.Status == "" ||
			r.Loan.PenaltyRateDaily.IsNeg() || r.Loan.LateFee < 0 {
			t.Fatalf("row %d: bad loan %+v", r.Row, r)
		}
	}
	for _, r := range b.Payments {
		p := r.Payment
		rows = append(rows, r.Row)
		if r.LoanExternalID == "" || p.ExternalID == "" || p.Amount <= 0 || p.PaidOn.IsZero() || p.Channel == "" {
			t.Fatalf("row %d: bad payment %+v", r.Row, r)
		}
	}
	return rows
}
