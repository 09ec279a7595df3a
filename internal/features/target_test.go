package features

import (
	"accord/internal/money"
	"testing"
)

// TestLabel checks the three targets on histories with known outcomes.
func TestLabel(t *testing.T) {
	t.Parallel()
	late := func(payOn string, amountShare int64) *Facts {
		l := newLoan(t, 1, day("2026-01-15")) // due 02-15, 03-15, 04-15, 05-15 …
		if payOn != "" {
			l.pay(day(payOn), l.Schedule[0].Total()*money.Amount(amountShare)) // covers amountShare installments
		}
		return &Facts{Loans: []Loan{l}}
	}
	d := day("2026-02-25") // 02-15 unpaid: 10 DPD, bucket M1
	tests := []struct {
		name   string
		f      *Facts
		target Target
		want   bool
	}{
		{"cure: pays everything due within 30 days", late("2026-03-10", 2), Cure30, true},
		{"cure: pays after 30 days", late("2026-03-30", 3), Cure30, false},
		{"cure: never pays", late("", 0), Cure30, false},
		{"roll: never pays, 40 DPD by 03-27", late("", 0), Roll30, true},
		{"roll: pays in time", late("2026-03-10", 2), Roll30, false},
		{"roll: pays on day 35 of DPD, after passing 30", late("2026-03-22", 2), Roll30, true},
		{"ew90: never pays", &Facts{Loans: []Loan{newLoan(t, 1, day("2026-02-20"))}}, EW90, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			as := d
			if tt.target == EW90 {
				as = day("2026-03-01")
			}
			if got := Label(tt.f, as, tt.target, nil); got != tt.want {
				t.Errorf("Label(%s) = %v, want %v", tt.target, got, tt.want)
			}
		})
	}
	paying := newLoan(t, 1, day("2026-02-20"))
	for _, in := range paying.Schedule {
		paying.pay(in.DueDate, in.Total())
	}
	if Label(&Facts{Loans: []Loan{paying}}, day("2026-03-01"), EW90, nil) {
		t.Error("ew90 of a borrower paying every installment on time = true")
	}
	v := Compute(late("", 0), d)
	if !Cure30.Eligible(v) || EW90.Eligible(v) {
		t.Errorf("a 10-DPD borrower: eligible for cure30 %v, ew90 %v", Cure30.Eligible(v), EW90.Eligible(v))
	}
}
