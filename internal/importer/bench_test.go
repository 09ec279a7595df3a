package importer

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkParse_LoansCSV parses 100,000 loan rows.
func BenchmarkParse_LoansCSV(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("external_id,borrower_external_id,product_code,principal,annual_rate,term_months,method,disbursed_on,penalty_rate_daily,late_fee,status\n")
	for i := range 100_000 {
		fmt.Fprintf(&buf, "L%d,B%d,CASH12,10000.00,0.18,12,equal_installment,2024-03-05,,,\n", i, i)
	}
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		if _, err := Parse(Loans, "l.csv", bytes.NewReader(buf.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse_BorrowersJSONL parses 100,000 borrower rows.
func BenchmarkParse_BorrowersJSONL(b *testing.B) {
	var buf bytes.Buffer
	for i := range 100_000 {
		fmt.Fprintf(&buf, `{"external_id": "B%d", "name": "张三", "national_id": "440305199001151232", "phones": ["13800138000"], "monthly_income": "8000.00", "city": "深圳市", "lat": 22.54, "lon": 113.95}`+"\n", i)
	}
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		if _, err := Parse(Borrowers, "b.jsonl", bytes.NewReader(buf.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}
